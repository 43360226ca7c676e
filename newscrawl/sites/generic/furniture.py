"""The generic furniture rules: lines that are page furniture on any news site (link prompts,
newsletter, share and tip prompts, photo credits, wire sign-offs, copyright lines, comment
counts), and the heading that opens a list of link titles. The generic body leaves them out;
the boilerplate pipeline (newscrawl.pipelines.boilerplate) applies them to generic items."""

from __future__ import annotations

import re

FURNITURE = re.compile(
    r"(?i)^(?:"
    # Link prompts and section labels: "Read more: ...", "Also Read | ...", "Related Topics".
    r"(?:read more|read also|also read|read next|see also|related(?: articles| stories"
    r"| coverage| content| news| posts| topics| links| reading)?|more on this(?: story)?"
    r"|explore more on these topics|recommended(?: stories| reading)?|most read|advertisement"
    r"|continue reading)"
    r"(?:\s*[:»›>|]\s*.{0,150})?[.…]?"
    # Newsletter prompts: "Sign up for ...", "Like this story? Get our weekly newsletter ...".
    r"|(?:[^.?!]{0,60}\?\s*)?(?:sign up|subscribe|get|join|receive)\b.{0,120}\bnewsletters?\b"
    r".{0,120}"
    r"|get (?:our|the) .{0,50}newsletter.{0,100}"
    r"|newsletter sign[- ]?up.{0,60}"
    r"|.{0,150}\b(?:straight|directly|delivered|sent) to your inbox\b.{0,150}"
    # Share, follow and tip prompts.
    r"|share (?:or comment on )?(?:this(?: article| story| page| post)?|on (?:facebook|twitter"
    r"|x|linkedin|whatsapp|email|reddit))(?:\s*[:|].{0,60})?"
    r"|(?:follow|join)\s.{0,80}(?:\bon (?:facebook|twitter|x|instagram|threads|bluesky|tiktok"
    r"|linkedin|whatsapp|telegram|google news)(?![\w-])|\b(?:whatsapp|telegram) channel\b)"
    r".{0,150}"
    r"|.{0,150}\band follow\s.{0,150}\bon (?:x|twitter|facebook|instagram|bluesky)(?![\w-])"
    r".{0,100}"
    r"|(?:got|have) an? (?:news )?(?:tip|story(?: idea)?|question)\?.{0,120}"
    r"|send (?:us )?your (?:story ideas?|news tips?|tips?)\b.{0,120}"
    # Photo credits: "Photo: Reuters", "Image source, X", "(AP Photo/Name)", "(Photo by X/AFP via
    # Getty Images)", "Photo/Illustration ..." (with the misspelling one English outlet uses).
    r"|(?:photo|image|picture|photograph|photo credit|image credit|credit)s?\s*:.{0,200}"
    r"|image (?:source|caption)\s*[:,].{0,200}"
    r"|photo/illu?s?tration\b.{0,250}"
    r"|\((?:[a-z]+ )?photos? by\b[^)]{0,120}\)"
    r"|\((?:[a-z]+ )?photo/[^)]{1,80}\)"
    r"|\(?(?:reuters|ap|afp|kyodo|jiji|ap photo|getty images)\)?"
    r"|[^.!?]{0,100}\b(?:getty images|ap photo|/reuters|/afp|/ap)\)?"
    # Wire sign-offs: "Reporting by A; Editing by B", and credits of a translated original.
    r"|(?:additional )?reporting by .{0,200}?(?:;|editing by|writing by).{0,200}"
    r"|(?:writing|editing) by [^.]{0,150}"
    r"|\((?:[a-z]+ )?original by .{1,150}\)"
    # Republishing notes, copyright lines and comment counts.
    r"|this (?:article|story|post|piece) (?:was |is )?(?:originally |first )?"
    r"(?:published|republished|appeared)\b.{0,250}"
    r"|(?:©|\(c\)|copyright ©?\s*\d{4}).{0,250}"
    r"|.{0,200}\ball rights reserved\b.{0,200}"
    r"|a version of this (?:article|story) appear(?:s|ed) in print\b.{0,300}"
    # Paywall prompts.
    r"|subscribe (?:now |today )?to (?:continue|keep) reading\b.{0,80}"
    r"|already a (?:subscriber|member)\?.{0,80}"
    r"|(?:get|enjoy) unlimited (?:digital )?access\b.{0,150}"
    # Social embeds as text: a post's signature "— Name (@handle) September 1, 2024", a
    # picture link, Instagram's frame.
    r"|.{0,350}(?:pic\.twitter\.com/\w+|[—–]\s*[^()]{1,60}\(@\w{1,30}\)\s*(?:[a-z]+\.? \d{1,2},"
    r" \d{4})?)"
    r"|view this post on instagram|a post shared by .{1,100}"
    # Update stamps without a date ("LIVE Updated 11:15pm", "Updated 2 hours ago").
    r"|(?:live\s+)?(?:updated|last updated)\s*:?\s*(?:\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?"
    r"(?:\s+[a-z]{2,4})?|\d+ (?:minutes?|hours?|days?) ago)"
    r"|\d[\d,]*\s+comments?|comments?\s*\(\d[\d,]*\)|view \d[\d,]* comments|leave a comment"
    r"|add (?:a )?new comment"
    r")$"
)
# A heading that opens a list of links ("Related Topics", "More on this story"): the short lines
# after it are the links' titles, not story text.
LINK_LIST_HEADING = re.compile(
    r"(?i)^(?:related(?: articles| stories| coverage| content| news| posts| topics| links)?"
    r"|more on this story|explore more on these topics|read more|see also|recommended"
    r"(?: stories| reading)?)\s*:?$"
)
LINK_TITLE_MAX_WORDS = 14
SENTENCE_END = re.compile(r"[.!?…:;\"”’)]$")


def is_furniture(block: str) -> bool:
    """A line that is page furniture wherever it stands: link prompts ("Read more: ...",
    "Related"), newsletter, share, follow and tip prompts, photo credits, wire sign-offs,
    republishing notes, copyright lines and comment counts."""
    return len(block) <= 400 and bool(FURNITURE.match(block))


def is_link_title(block: str) -> bool:
    """A short line without a sentence's end: a link's title in a list of links."""
    return len(block.split()) <= LINK_TITLE_MAX_WORDS and not SENTENCE_END.search(block)
