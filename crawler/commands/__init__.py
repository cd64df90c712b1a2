"""One module per `facade` command (as scrapy/commands/); crawler/cli.py dispatches."""
