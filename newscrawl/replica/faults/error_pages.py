"""nginx's own error pages, as a CDN or origin under maintenance serves them."""

from __future__ import annotations

OUTAGE_PAGE = (
    "<html>\n<head><title>503 Service Unavailable</title></head>\n<body>\n"
    "<center><h1>503 Service Unavailable</h1></center>\n<hr><center>nginx</center>\n"
    "</body>\n</html>\n"
)
ERROR_500_PAGE = (
    "<html>\n<head><title>500 Internal Server Error</title></head>\n<body>\n"
    "<center><h1>500 Internal Server Error</h1></center>\n<hr><center>nginx</center>\n"
    "</body>\n</html>\n"
)
TOO_MANY_PAGE = (
    "<html>\n<head><title>429 Too Many Requests</title></head>\n<body>\n"
    "<center><h1>429 Too Many Requests</h1></center>\n<hr><center>nginx</center>\n"
    "</body>\n</html>\n"
)
