"""A User-Agent that names the project and how to reach its operator (NEWSCRAWL_CONTACT)."""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.useragent import UserAgentMiddleware as ScrapyUserAgentMiddleware

from newscrawl.defaults import setting_text


class UserAgentMiddleware(ScrapyUserAgentMiddleware):
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> UserAgentMiddleware:
        template = crawler.settings.get("USER_AGENT")
        contact = setting_text(crawler.settings, "NEWSCRAWL_CONTACT")
        if contact:
            return cls(template.replace("{contact}", contact))
        return cls(template.replace(" (+{contact})", "").replace("{contact}", ""))
