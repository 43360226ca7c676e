"""Pages the replica answers on an article URL instead of the article (fault modes of issue 13):
a bot-check interstitial, a login wall, an error page and the section's listing, all with 200.

They copy what real sites serve: Cloudflare's "Just a moment..." challenge (no site chrome), a
subscriber wall in the site's chrome that shows the headline and the lead (and, on half of the
articles, keeps the article's og/article meta, as paywalls built on the article template do),
the theme's "Page not found" page, and page 1 of the section's listing.
"""

from __future__ import annotations

from newscrawl.replica import chrome
from newscrawl.replica.chrome import attr, esc
from newscrawl.replica.corpus import Article, iso_jst, minute
from newscrawl.replica.pages import Site, section_listing

# Cloudflare's managed challenge as a client without JavaScript receives it (ray ID and tokens
# shortened).
INTERSTITIAL_PAGE = """<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<meta http-equiv="X-UA-Compatible" content="IE=Edge">
<meta name="robots" content="noindex,nofollow">
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>*{box-sizing:border-box;margin:0;padding:0}html{line-height:1.15}</style>
</head><body><div class="main-wrapper" role="main"><div class="main-content">
<h1 class="zone-name-title h1">{host}</h1>
<h2 id="challenge-running" class="h2">Checking if the site connection is secure</h2>
<noscript><div id="challenge-error-title"><div class="h2"><span class="icon-wrapper">
</span><span id="challenge-error-text">Enable JavaScript and cookies to continue</span>
</div></div></noscript>
<div id="challenge-body-text" class="core-msg spacer">{host} needs to review the security of
your connection before proceeding.</div>
<form id="challenge-form" action="{path}?__cf_chl_f_tk=Q7y1mB" method="POST"
enctype="application/x-www-form-urlencoded"><input type="hidden" name="md" value="x0s"></form>
</div></div>
<script>(function(){window._cf_chl_opt={cvId: '3',cZone: "{host}",cType: 'managed'};
var cpo = document.createElement('script');
cpo.src = '/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1?ray=8d2f';
document.getElementsByTagName('head')[0].appendChild(cpo);}());</script>
<div class="footer" role="contentinfo"><div class="footer-inner">
<div class="text-center" id="footer-text">Performance &amp; security by Cloudflare</div>
</div></div></body></html>
"""


def interstitial(site: Site, a: Article) -> str:
    host = site.origin.split("://", 1)[-1]
    return INTERSTITIAL_PAGE.replace("{host}", host).replace("{path}", a.path)


def wall(site: Site, a: Article, keeps_meta: bool) -> str:
    """The article's URL behind a login wall: headline, lead and a log-in form in the chrome.
    KEEPS_META: the head keeps og:title, og:type article and article:published_time."""
    origin = site.origin
    head = f"<title>{chrome.wp_title(a.title)} &#045; {chrome.SITE}</title>\n"
    if keeps_meta:
        head += (
            '<meta property="og:type" content="article" />\n'
            f'<meta property="og:title" content="{attr(a.title)}" />\n'
            f'<meta property="article:published_time" content="{iso_jst(minute(a.published))}"'
            " />\n"
        )
    content = (
        chrome.breadcrumbs(origin, chrome.section_trail(a.section, a.subsection))
        + '<main class="clearfix">\n<div class="single_page page_w1100 clearfix">\n'
        f'<div class="bloc_1">\n<h1>{esc(a.title)}</h1>\n</div>\n'
        '<div class="bloc_2">\n<div class="p-wall">\n'
        f'<p class="p-wall__lead">{esc(a.description)}</p>\n'
        "<h2>Log in to read this article</h2>\n"
        "<p>This article is for subscribers only. Log in or subscribe to continue reading.</p>\n"
        f'<form class="p-wall__form" method="post" action="{origin}/login/">'
        '<label>Email <input type="email" name="email"></label>'
        '<label>Password <input type="password" name="password"></label>'
        '<button type="submit">Log in</button></form>\n'
        f'<p>Not a subscriber yet? <a href="{origin}/subscribe/">Subscribe now</a></p>\n'
        "</div>\n</div>\n" + site._sidebar(a.section, a.index) + "</div>\n</main>\n"
    )
    return site._page(head, "post-template-default single single-post", content)


def section_page(site: Site, a: Article) -> str:
    """Page 1 of the article's section listing (a CMS route that fell through)."""
    page = site.listing(section_listing(site.corpus, a.section), 1)
    assert page is not None  # page 1 always exists
    return page
