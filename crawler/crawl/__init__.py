"""The crawl: Scrapy spider, its middlewares and pipelines, DNS gate, seeds, settings."""
