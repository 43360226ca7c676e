"""Items read from a page whose bytes read cleanly in no charset carry the `charset_damaged`
flag: the text may hold U+FFFD or misread characters, and an analyst must be able to tell.

A spider middleware, so that one place serves every spider: `CharsetMiddleware` (downloader)
marks the damaged page's request meta (`DAMAGED_META`); every item the callback yields for that
response gets the flag.
"""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter, is_item
from scrapy.http import Response
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from newscrawl.charset import FLAG
from newscrawl.middlewares.charset import DAMAGED_META


class CharsetFlagMiddleware(BaseSpiderMiddleware):
    def get_processed_item(self, item: Any, response: Response | None) -> Any:
        if response is None or not response.meta.get(DAMAGED_META) or not is_item(item):
            return item
        adapter = ItemAdapter(item)
        if "flags" in adapter.field_names():
            flags = list(adapter.get("flags") or [])
            adapter["flags"] = flags if FLAG in flags else [*flags, FLAG]
        return item
