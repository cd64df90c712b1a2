"""Web archives: CDX and Memento TimeMaps, a site's captures, the archive path of a crawl."""
