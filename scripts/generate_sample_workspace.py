#!/usr/bin/env python3
"""Write PromptTrail's seeded sample workspace and the prompttrail/* sample payloads.

Outputs (relative to --root, the repository root by default):

* ``samples/workspace/``: a complete workspace (format version 1, docs/workspace-format.md) as
  ``trail-pull`` would leave it after pulling two Tuor projects: ``workspace.json``, ``state.json``,
  ``prompts/<project_id>.jsonl`` and ``traces/<project_id>/<YYYY-MM-DD>.jsonl``. The directory is
  emptied first, so the files always match this script.
* ``samples/prompttrail/``: valid and invalid payloads for each ``prompttrail/*`` schema, named
  ``<name>.valid[.<what>].json`` or ``<name>.<rule-broken>.json``. Also emptied first.
* ``samples/index.json``: the entries for ``samples/prompttrail/`` are replaced; every other entry is
  kept as it was. Entries are sorted by path.

The output is deterministic: one seeded random generator, fixed timestamps, no wall clock, no
environment lookups. Running the script twice gives byte-identical files.

Standard library only.

Numbers and hashing: ``output_sha256`` (and ``content_sha256`` for non-string content) is the SHA-256
of the RFC 8785 (JCS) canonical serialization, implemented below. RFC 8785 serializes numbers as
ECMAScript's ``Number.prototype.toString`` does, i.e. every number is read as an IEEE 754 double
first. An integer beyond 2^53 such as 9007199254740993 therefore canonicalizes to the nearest
double, ``9007199254740992``. The record itself (``model_output`` and ``source_payload``) keeps the
exact digits; only the hash input is rounded.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import string
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterable

# ---------------------------------------------------------------------------------------------
# Fixed parameters
# ---------------------------------------------------------------------------------------------

SEED = 20260521
FORMAT_VERSION = 1
TOOL_VERSION = "0.1.0"
SOURCE = "tuor"
BASE_URL = "https://api.tuor.dev"
ORG_ID = "org_4kq8z2mxv7"
WORKSPACE_CREATED_AT = "2026-05-11T05:45:00Z"
#: When the last pull finished; nothing in the workspace is newer.
PULLED_AT = "2026-05-21T06:00:00Z"
FIRST_DAY = date(2026, 5, 11)
DAYS = 10
DANGLING_PROMPT_VERSION_ID = "prm_deleted0001"

SCHEMA_BASE = "https://schemas.prompttrail.dev/prompttrail"
TUOR_CONTENT_LIMIT = 16384

JSONValue = Any  # None | bool | int | float | str | list[JSONValue] | dict[str, JSONValue]


# ---------------------------------------------------------------------------------------------
# RFC 8785 (JSON Canonicalization Scheme)
# ---------------------------------------------------------------------------------------------


def canonical_number(value: int | float) -> str:
    """Serialize a JSON number as RFC 8785 requires (ECMAScript Number.prototype.toString).

    The number is first converted to the nearest IEEE 754 double, so integers beyond 2^53 lose
    their exact digits here (9007199254740993 becomes "9007199254740992"). NaN and infinities,
    and integers too large for a double, cannot be canonicalized.
    """
    try:
        x = float(value)
    except OverflowError as error:
        raise ValueError(f"number {value} is outside the range of an IEEE 754 double") from error
    if x != x or x in (float("inf"), float("-inf")):
        raise ValueError("NaN and infinities have no JSON form")
    if x == 0:
        return "0"  # also for -0
    if x < 0:
        return "-" + canonical_number(-x)
    # repr() gives the shortest digit string that round-trips, nearest to x among those: the
    # same digits ECMAScript picks. Only the layout differs, so decompose and re-lay it out.
    mantissa, _, exponent_text = repr(x).partition("e")
    integer_part, _, fraction_part = mantissa.partition(".")
    digits = integer_part + fraction_part
    point = len(integer_part) + (int(exponent_text) if exponent_text else 0)
    stripped = digits.lstrip("0")
    point -= len(digits) - len(stripped)
    digits = stripped.rstrip("0")
    k, n = len(digits), point  # x = 0.<digits> * 10^n
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + digits
    exponent = n - 1
    sign = "+" if exponent >= 0 else "-"
    head = digits[0] + ("." + digits[1:] if k > 1 else "")
    return f"{head}e{sign}{abs(exponent)}"


_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def canonical_string(value: str) -> str:
    """Serialize a string as RFC 8785 requires (ECMAScript JSON.stringify on well-formed text)."""
    out = ['"']
    for char in value:
        code = ord(char)
        if char in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[char])
        elif code < 0x20:
            out.append(f"\\u{code:04x}")
        elif 0xD800 <= code <= 0xDFFF:
            raise ValueError("lone surrogate in string; RFC 8785 requires well-formed Unicode")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def _utf16_key(key: str) -> bytes:
    # Big-endian UTF-16 bytes compare like the sequences of UTF-16 code units RFC 8785 sorts by.
    return key.encode("utf-16-be")


def canonicalize(value: JSONValue) -> str:
    """The RFC 8785 canonical serialization of a JSON value, as text."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return canonical_number(value)
    if isinstance(value, str):
        return canonical_string(value)
    if isinstance(value, list):
        return "[" + ",".join(canonicalize(item) for item in value) + "]"
    if isinstance(value, dict):
        members = sorted(value.items(), key=lambda item: _utf16_key(item[0]))
        return "{" + ",".join(canonical_string(k) + ":" + canonicalize(v) for k, v in members) + "}"
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def content_hash(content: str | list[JSONValue]) -> tuple[str, int]:
    """content_sha256 and content_bytes: UTF-8 of a string, else its canonical serialization."""
    data = content.encode("utf-8") if isinstance(content, str) else canonicalize(content).encode("utf-8")
    return sha256_hex(data), len(data)


def output_hash(model_output: JSONValue) -> str:
    """output_sha256: SHA-256 of the canonical serialization of model_output."""
    return sha256_hex(canonicalize(model_output).encode("utf-8"))


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


def jsonl_line(record: dict[str, JSONValue]) -> str:
    """One workspace line: compact, UTF-8 (no ASCII escaping), keys in the record's own order."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"


def pretty(document: JSONValue) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def write_atomically(path: Path, text: str) -> None:
    """Write via a temporary file in the same directory, fsync, then rename over the target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    with open(temporary, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


# ---------------------------------------------------------------------------------------------
# Time and ids
# ---------------------------------------------------------------------------------------------


def parse_time(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def format_time(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


ALNUM = string.ascii_lowercase + string.digits


def random_id(rng: random.Random, prefix: str, length: int) -> str:
    return prefix + "".join(rng.choice(ALNUM) for _ in range(length))


# ---------------------------------------------------------------------------------------------
# Prompt texts
# ---------------------------------------------------------------------------------------------

FIN_V1 = """\
You are a financial assistant for Acme Finance. Read the document in the user message and extract \
these fields: vendor_name, invoice_number, invoice_date, due_date, currency, subtotal, tax_amount, \
total_amount.

Return a flat JSON object with exactly those keys. Use null for any field you cannot find. Always \
return JSON and nothing else: no prose, no Markdown fences.
"""

FIN_RULES_V2 = """\
Formatting rules:
- Dates: ISO 8601 calendar dates (YYYY-MM-DD). Never copy the document's own date format.
- Amounts: plain JSON numbers with a dot as the decimal separator and no thousands separators \
(1851.64, not "1.851,64" or "1,851.64"). Do not put currency symbols in numbers.
- currency: the ISO 4217 code (USD, EUR, GBP, JPY, ...), never a symbol.
- invoice_number: exactly as printed, including prefixes and slashes ("RE-2026-04417", "FV/2026/05/118").
- vendor_name: the issuing company's full legal name as printed in the header, including the legal \
form (GmbH, SARL, Ltd, LLC, ApS, Sp. z o.o., 株式会社).

Document types:
- Invoices: the fields above.
- Receipts: return merchant_name, receipt_date, currency, total_amount, payment_method \
("card", "cash", "transfer" or null) instead.
- Financial statements: return company_name, period_end, currency, revenue, net_income instead. \
Statements usually state whole currency units; return integers when the statement does.
"""

FIN_RULES_V3 = """\
Non-English documents:
- Keep names in their original script and spelling. "Nordlicht Büromöbel GmbH" stays as it is; \
"株式会社サクラ精機" is not transliterated; "Żabka Print Sp. z o.o." keeps its diacritics.
- Map currency symbols to codes: € → EUR, £ → GBP, ¥ or 円 → JPY, zł → PLN, kr → DKK for Danish \
vendors (SEK/NOK only when the document says so), $ → USD unless the address or the document says \
CAD, AUD or another dollar.
- JPY has no minor unit: return whole numbers for yen amounts (184800, not 184800.0).
- Labels you will see: Rechnungsnummer / Rechnungsdatum / Fällig am / Zwischensumme / MwSt. \
(German), N° de facture / Date de facture / Échéance / Total HT / TVA / Total TTC (French), \
請求書番号 / 請求日 / お支払期限 / 小計 / 消費税 / 合計 (Japanese), Faktura nr / Data wystawienia / \
Termin płatności / Razem netto / VAT / Do zapłaty (Polish), Fakturanr. / Fakturadato / Forfaldsdato / \
Moms / I alt (Danish).

If a field appears more than once (for example a total in the header and in the footer), prefer \
the one in the totals block at the end of the document.
"""

FIN_RULES_V4 = """\
Dates, in detail (reviewers corrected these most often):
- German, Polish and Danish documents write day before month: "03.05.2026" and "03-05-2026" are \
3 May 2026 → "2026-05-03".
- French, Spanish and British documents write DD/MM/YYYY: "04/05/2026" is 4 May 2026.
- US documents write MM/DD/YYYY: "05/04/2026" is 4 May 2026. Decide by the vendor's address, \
not by the bill-to address.
- Japanese dates such as "2026年5月8日" or "2026年05月08日" → "2026-05-08".
- If only "Zahlbar innerhalb von 30 Tagen" / "Net 30" is given, compute due_date from invoice_date; \
if neither a date nor a term is given, due_date is null.

Totals, in detail:
- subtotal is the amount before tax; tax_amount is the sum of all tax lines; total_amount is the \
amount due including tax.
- Check that subtotal + tax_amount = total_amount to the cent. If they do not add up, re-read the \
totals block; never count the tax twice and never return the subtotal as the total.
- A vendor outside the tax system (0 % VAT, "steuerfrei", "exonéré de TVA") has tax_amount 0, not null.
"""

FIN_RULES_V5 = """\
Output contract (v5):
- Keep the flat keys above first, in the order listed. You may add these optional keys when the \
document provides them; reviewers see them as a tree below the main form:
  - line_items: an array of objects {"description", "quantity", "unit_price", "amount"}.
  - bank: {"iban", "bic"} exactly as printed (keep the spaces in the IBAN).
  - For bank statements: statement_id, account_number (as a JSON integer when the document prints \
it as digits only), opening_balance, closing_balance.
- Never round: 0.1 stays 0.1 and a rate printed as 0.0000001 stays 1e-7 (any exact JSON number form \
is fine).
- Never invent values. A wrong value costs a reviewer more time than a null.

Credit notes (Gutschrift, avoir, credit memo) use negative amounts: subtotal, tax_amount and \
total_amount are all below zero.

Examples.

Input (excerpt):
  Nordlicht Büromöbel GmbH · Hafenstraße 12 · 20457 Hamburg
  Rechnungsnummer: RE-2026-04417   Rechnungsdatum: 03.05.2026   Fällig am: 02.06.2026
  Zwischensumme 1.556,00 €   MwSt. 19 % 295,64 €   Gesamtbetrag 1.851,64 €
Output:
  {"vendor_name": "Nordlicht Büromöbel GmbH", "invoice_number": "RE-2026-04417", \
"invoice_date": "2026-05-03", "due_date": "2026-06-02", "currency": "EUR", "subtotal": 1556.0, \
"tax_amount": 295.64, "total_amount": 1851.64}

Input (excerpt):
  株式会社サクラ精機　東京都大田区蒲田5-12-3
  請求書番号: SKR-20817　請求日: 2026年5月8日　お支払期限: 2026年6月30日
  小計 ¥168,000　消費税（10%） ¥16,800　合計 ¥184,800
Output:
  {"vendor_name": "株式会社サクラ精機", "invoice_number": "SKR-20817", "invoice_date": "2026-05-08", \
"due_date": "2026-06-30", "currency": "JPY", "subtotal": 168000, "tax_amount": 16800, \
"total_amount": 184800}

Input (excerpt):
  Pacific Rim Logistics LLC, 2211 Harbor Blvd, Long Beach, CA 90813
  Invoice PRL-55120 · Date 05/04/2026 · Terms: Net 30
  Subtotal $4,210.00 · Tax $0.00 · Total due $4,210.00
Output:
  {"vendor_name": "Pacific Rim Logistics LLC", "invoice_number": "PRL-55120", \
"invoice_date": "2026-05-04", "due_date": "2026-06-03", "currency": "USD", "subtotal": 4210.0, \
"tax_amount": 0, "total_amount": 4210.0}

Input (excerpt):
  Receipt · Boulangerie Poilâne · 8 rue du Cherche-Midi, Paris · 12/05/2026 14:02
  2 pains de campagne … 19,80 €   TOTAL 19,80 €   CB **** 4417
Output:
  {"merchant_name": "Boulangerie Poilâne", "receipt_date": "2026-05-12", "currency": "EUR", \
"total_amount": 19.8, "payment_method": "card"}

Edge cases:
- Several invoices in one document: extract the first one only and add "note": "multiple invoices" \
as an extra key.
- Pro-forma invoices and quotes (Proforma-Rechnung, devis, 見積書) are not invoices: return all keys \
as null.
- Partial payments ("bereits bezahlt", "acompte versé", "deposit received"): total_amount is the \
invoice total, not the remaining balance.
- Discounts (Skonto, remise, 値引き) printed as their own line reduce the subtotal; early-payment \
discounts that only apply if paid by a date do not change any amount.
- Shipping and handling lines are part of the subtotal.
- Several tax rates (7 % and 19 %, or 5.5 % and 20 %): tax_amount is their sum.
- Reverse charge ("Steuerschuldnerschaft des Leistungsempfängers", "autoliquidation"): tax_amount \
is 0 and the note key says "reverse charge".
- Amounts written in words only ("eintausend Euro") are rare; return the number (1000.0).
- Handwritten corrections on scans win over the printed value when they are legible.
- A receipt without a year: use the year of the document's upload date, which the user message \
gives as "Received:".
- Statements with columns for several periods: take the most recent period (the first column in \
most layouts, the last one in some Japanese layouts); period_end is that column's end date.
- Statements in thousands ("in TEUR", "(in thousands)", "単位：千円"): multiply by 1000 so that \
net_income is in whole currency units.

Before you answer, check silently: every date is YYYY-MM-DD; every amount is a number; the currency \
is a three-letter code; subtotal + tax_amount = total_amount; names keep their original spelling. \
Then return the JSON object only.
"""


def finance_prompt(version: int) -> str:
    parts = [FIN_V1]
    if version >= 2:
        parts.append(FIN_RULES_V2)
    if version >= 3:
        parts.append(FIN_RULES_V3)
    if version >= 4:
        parts.append(FIN_RULES_V4)
    if version >= 5:
        parts.append(FIN_RULES_V5)
    return "\n".join(parts)


SUP_V1 = """\
You are the customer support assistant for Acme Home & Office, an online shop for office furniture \
and supplies. Write the reply to the customer's message below as the support team.

Be friendly, specific and brief (at most 150 words). Refer to the order number when the customer \
gives one. Do not make promises about dates you cannot know. Sign as "Acme Home & Office Support".
"""

SUP_RULES_V2 = """\
Language: always reply in the language of the customer's message. Use these greetings and sign-offs:
- English: "Hi <first name>," … "Best regards, Acme Home & Office Support"
- German: "Hallo <Vorname>," … "Viele Grüße, Ihr Acme Home & Office Support" (use "Sie")
- Spanish: "Hola, <nombre>:" … "Un saludo, el equipo de soporte de Acme Home & Office" (use "usted")
- French: "Bonjour <prénom>," … "Cordialement, le support Acme Home & Office" (use "vous")
- Portuguese (Brazil): "Olá, <nome>!" … "Atenciosamente, Suporte Acme Home & Office"
- Japanese: "<姓>様" … "Acme Home & Office サポートチーム" (polite 丁寧語, no emoji)

Policies you may state:
- Returns: unused items can be returned; we email a prepaid return label.
- Password resets: point to https://acme.example/account/reset; never ask for the password.
- Invoice copies: available under Account → Orders → Download invoice (PDF).
- Subscriptions (Acme Supplies Plus) can be cancelled at any time; the plan runs until the end of \
the paid month.
"""

SUP_RULES_V3 = """\
Corrections from review (apply them strictly):
- The return window is 30 days from delivery, not 14. Refunds go to the original payment method \
within 5–7 business days after the carrier scans the return parcel.
- Never say a refund "has been issued" or an item "has been shipped": you cannot see the systems. \
Say what will happen next and who does it.
- Shipping delays: apologise, give the tracking link https://acme.example/track/<order number>, \
and say that the carrier updates it daily. Do not name a delivery date.
- Damaged items: ask for a photo of the damage and of the shipping label; offer a replacement or a \
refund, the customer chooses.
- Chargebacks, legal threats, or anything about a lawyer: do not argue; write that a team lead \
will reply within one business day, and add the line "[escalate]" at the very end.
- Keep the customer's own words for product names (e.g. "Ergo chair", "Schreibtisch Kiel").
"""

SUP_RULES_V4 = """\
Privacy requests (GDPR/DSGVO/RGPD/LGPD):
- Data export: confirm that we received the request, say the export arrives by email within 30 \
days, and never attach or quote personal data in the reply.
- Deletion: explain that open orders and invoices we must keep for tax law stay on file; everything \
else is deleted within 30 days. Add "[privacy]" at the very end.

Tone guide:
- One short apology at most. No exclamation marks except in Portuguese greetings.
- Prefer concrete next steps ("I've sent you a return label") over general statements \
("we value your business").
- Use the customer's first name once, in the greeting. Japanese: family name + 様.
- Do not mention internal tools, ticket queues or this prompt.
- If the message is not a support request (spam, a sales pitch, an empty form), reply with the single \
word "[skip]".

Formatting: plain text, short paragraphs, no Markdown headings, links written out in full.

Example (German customer, damaged item):
  Hallo Jonas,
  das tut uns leid – der Schreibtisch Kiel sollte natürlich unbeschädigt ankommen. Schicken Sie uns \
bitte ein Foto des Schadens und eines des Versandetiketts als Antwort auf diese E-Mail. Danach \
entscheiden Sie: Ersatzlieferung oder Erstattung.
  Viele Grüße, Ihr Acme Home & Office Support
"""


def support_prompt(version: int) -> str:
    parts = [SUP_V1]
    if version >= 2:
        parts.append(SUP_RULES_V2)
    if version >= 3:
        parts.append(SUP_RULES_V3)
    if version >= 4:
        parts.append(SUP_RULES_V4)
    return "\n".join(parts)


# ---------------------------------------------------------------------------------------------
# Projects and prompt versions
# ---------------------------------------------------------------------------------------------

FINANCE = "proj_acmefinance"
SUPPORT = "proj_supportdesk"
PROJECTS = (FINANCE, SUPPORT)

# Users of the organization (created_by values).
MAYA, DEV, LENA, RAFAEL, KEIKO = "user_1maya7rao", "user_2dev4kapoor", "user_3lena9vogt", "user_4rafa2ortiz", "user_5keiko8mori"


@dataclass(frozen=True)
class VersionPlan:
    version: int
    created_at: str
    created_by: str
    origin: str
    #: For refinements: the reasoning, with {reviewed} and {corrected} filled in from the traces
    #: reviewed under the parent version before the refinement was accepted.
    rationale: str | None = None


FINANCE_PLAN = (
    VersionPlan(1, "2026-03-02T15:12:09Z", MAYA, "manual"),
    VersionPlan(2, "2026-04-14T09:41:37Z", DEV, "manual"),
    VersionPlan(3, "2026-05-09T16:20:05Z", MAYA, "manual"),
    VersionPlan(
        4,
        "2026-05-14T11:05:48Z",
        LENA,
        "refinement",
        "Reviewers corrected {corrected} of the {reviewed} traces reviewed since version 3. Most corrections fixed "
        "dates copied in the document's own format (03.05.2026, 04/05/2026) instead of ISO 8601, and "
        "totals that repeated the subtotal when the tax line was printed separately. This revision "
        "spells out day/month order per country and adds a subtotal + tax = total check.",
    ),
    VersionPlan(5, "2026-05-18T08:30:12Z", DEV, "manual"),
)

SUPPORT_PLAN = (
    VersionPlan(1, "2026-02-20T10:03:44Z", RAFAEL, "manual"),
    VersionPlan(2, "2026-04-28T14:22:10Z", KEIKO, "manual"),
    VersionPlan(
        3,
        "2026-05-15T13:40:27Z",
        RAFAEL,
        "refinement",
        "Reviewers corrected {corrected} of the {reviewed} replies reviewed since version 2: most stated a 14-day return window (the "
        "policy is 30 days) or told customers that a refund had already been issued or a parcel "
        "shipped. The revision states the return window, forbids claims about actions the assistant "
        "cannot see, and adds escalation rules for chargebacks.",
    ),
    VersionPlan(4, "2026-05-19T07:15:53Z", KEIKO, "manual"),
)

PROMPT_TEXT: dict[str, Callable[[int], str]] = {FINANCE: finance_prompt, SUPPORT: support_prompt}
PLANS: dict[str, tuple[VersionPlan, ...]] = {FINANCE: FINANCE_PLAN, SUPPORT: SUPPORT_PLAN}


@dataclass(frozen=True)
class ReviewStats:
    """Traces reviewed under one version before the next version was saved."""

    reviewed: int
    corrected: int


def build_prompt_payloads(
    rng: random.Random, prompt_ids: dict[str, list[str]], stats: dict[str, list[ReviewStats]]
) -> dict[str, list[dict[str, JSONValue]]]:
    """The Tuor prompt version objects of each project, oldest first, as GET .../prompts returns them.

    A refinement's lineage_event_ids are the review events of the corrections it was based on.
    """
    payloads: dict[str, list[dict[str, JSONValue]]] = {}
    for project in PROJECTS:
        plan = PLANS[project]
        objects: list[dict[str, JSONValue]] = []
        for index, step in enumerate(plan):
            rationale, events = None, []
            if step.origin == "refinement":
                basis = stats[project][index - 1]
                # Tuor suggests a refinement only after 10 reviewed traces since the active version.
                assert basis.reviewed >= 10, (project, step.version, basis)
                assert step.rationale is not None
                rationale = step.rationale.format(reviewed=basis.reviewed, corrected=basis.corrected)
                events = [random_id(rng, "evt_", 16) for _ in range(basis.corrected)]
            objects.append(
                {
                    "id": prompt_ids[project][index],
                    "project_id": project,
                    "org_id": ORG_ID,
                    "version": step.version,
                    "content": PROMPT_TEXT[project](step.version),
                    "source": step.origin,
                    "is_active": step.version == len(plan),
                    "parent_id": prompt_ids[project][index - 1] if index else None,
                    "rationale": rationale,
                    "lineage_event_ids": events,
                    "created_at": step.created_at,
                    "created_by": step.created_by,
                }
            )
        payloads[project] = objects
    return payloads


def normalize_prompt_version(payload: dict[str, JSONValue]) -> dict[str, JSONValue]:
    """A prompttrail/prompt-version record from a Tuor prompt version object (kept verbatim)."""
    content = payload["content"]
    assert isinstance(content, str)
    digest, size = content_hash(content)
    return {
        "record_type": "prompt_version",
        "format_version": FORMAT_VERSION,
        "source": SOURCE,
        "project_id": payload["project_id"],
        "prompt_version_id": payload["id"],
        "prompt_key": None,
        "version": payload["version"],
        "is_active": payload["is_active"],
        "parent_id": payload.get("parent_id"),
        "created_at": payload["created_at"],
        "created_by": payload.get("created_by"),
        "origin": payload.get("source"),
        "rationale": payload.get("rationale"),
        "content": content,
        "content_sha256": digest,
        "content_bytes": size,
        "model": None,
        "provider": None,
        "temperature": None,
        "top_p": None,
        "max_output_tokens": None,
        "source_payload": payload,
    }


def normalize_trace(payload: dict[str, JSONValue]) -> dict[str, JSONValue]:
    """A prompttrail/trace record from a Tuor trace object (kept verbatim)."""
    config = payload.get("trace_config")
    config = config if isinstance(config, dict) else {}
    return {
        "record_type": "trace",
        "format_version": FORMAT_VERSION,
        "source": SOURCE,
        "project_id": payload["project_id"],
        "trace_id": payload["id"],
        "created_at": payload["created_at"],
        "updated_at": payload.get("updated_at"),
        "status": payload.get("status"),
        "model": config.get("model"),
        "prompt_version_id": config.get("prompt_version_id"),
        "prompt_version": None,
        "internal_run_id": config.get("internal_run_id"),
        "tags": list(payload.get("tags") or []),
        "model_input": payload["model_input"],
        "model_output": payload["model_output"],
        "corrected_output": payload.get("corrected_output"),
        "final_output": payload.get("final_output"),
        "output_sha256": output_hash(payload["model_output"]),
        "source_payload": payload,
    }


# ---------------------------------------------------------------------------------------------
# Finance documents (proj_acmefinance: input_type text, output_type key_value)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Locale:
    code: str
    currency: str
    symbol: str
    thousands: str
    decimal: str
    symbol_first: bool
    minor_digits: int
    date_style: str  # "us", "dmy-dot", "dmy-slash", "dmy-dash", "ja"
    labels: dict[str, str]


EN_LABELS = {
    "title": "INVOICE",
    "number": "Invoice no.",
    "date": "Invoice date",
    "due": "Due date",
    "bill_to": "Bill to",
    "description": "Description",
    "qty": "Qty",
    "unit": "Unit price",
    "amount": "Amount",
    "subtotal": "Subtotal",
    "tax": "Tax {rate}",
    "total": "Total due",
    "terms": "Terms: Net {days}",
    "delivery": "DELIVERY NOTE",
}

LOCALES: dict[str, Locale] = {
    "en-US": Locale("en-US", "USD", "$", ",", ".", True, 2, "us", EN_LABELS),
    "en-GB": Locale("en-GB", "GBP", "£", ",", ".", True, 2, "dmy-slash", {**EN_LABELS, "tax": "VAT {rate}"}),
    "de-DE": Locale(
        "de-DE",
        "EUR",
        "€",
        ".",
        ",",
        False,
        2,
        "dmy-dot",
        {
            "title": "RECHNUNG",
            "number": "Rechnungsnummer",
            "date": "Rechnungsdatum",
            "due": "Fällig am",
            "bill_to": "Rechnungsempfänger",
            "description": "Bezeichnung",
            "qty": "Menge",
            "unit": "Einzelpreis",
            "amount": "Betrag",
            "subtotal": "Zwischensumme",
            "tax": "MwSt. {rate}",
            "total": "Gesamtbetrag",
            "terms": "Zahlbar innerhalb von {days} Tagen ohne Abzug",
            "delivery": "LIEFERSCHEIN",
        },
    ),
    "fr-FR": Locale(
        "fr-FR",
        "EUR",
        "€",
        "\u202f",
        ",",
        False,
        2,
        "dmy-slash",
        {
            "title": "FACTURE",
            "number": "N° de facture",
            "date": "Date de facture",
            "due": "Échéance",
            "bill_to": "Facturé à",
            "description": "Désignation",
            "qty": "Qté",
            "unit": "Prix unitaire HT",
            "amount": "Montant HT",
            "subtotal": "Total HT",
            "tax": "TVA {rate}",
            "total": "Total TTC",
            "terms": "Paiement à {days} jours",
            "delivery": "BON DE LIVRAISON",
        },
    ),
    "es-ES": Locale(
        "es-ES",
        "EUR",
        "€",
        ".",
        ",",
        False,
        2,
        "dmy-slash",
        {
            "title": "FACTURA",
            "number": "Nº de factura",
            "date": "Fecha de factura",
            "due": "Vencimiento",
            "bill_to": "Cliente",
            "description": "Concepto",
            "qty": "Cant.",
            "unit": "Precio unitario",
            "amount": "Importe",
            "subtotal": "Base imponible",
            "tax": "IVA {rate}",
            "total": "Total factura",
            "terms": "Pago a {days} días",
            "delivery": "ALBARÁN",
        },
    ),
    "da-DK": Locale(
        "da-DK",
        "DKK",
        "kr.",
        ".",
        ",",
        False,
        2,
        "dmy-dash",
        {
            "title": "FAKTURA",
            "number": "Fakturanr.",
            "date": "Fakturadato",
            "due": "Forfaldsdato",
            "bill_to": "Faktureres til",
            "description": "Beskrivelse",
            "qty": "Antal",
            "unit": "Stykpris",
            "amount": "Beløb",
            "subtotal": "Subtotal",
            "tax": "Moms {rate}",
            "total": "I alt",
            "terms": "Netto {days} dage",
            "delivery": "FØLGESEDDEL",
        },
    ),
    "pl-PL": Locale(
        "pl-PL",
        "PLN",
        "zł",
        "\u00a0",
        ",",
        False,
        2,
        "dmy-dot",
        {
            "title": "FAKTURA VAT",
            "number": "Faktura nr",
            "date": "Data wystawienia",
            "due": "Termin płatności",
            "bill_to": "Nabywca",
            "description": "Nazwa towaru",
            "qty": "Ilość",
            "unit": "Cena netto",
            "amount": "Wartość netto",
            "subtotal": "Razem netto",
            "tax": "VAT {rate}",
            "total": "Do zapłaty",
            "terms": "Płatne w ciągu {days} dni",
            "delivery": "DOWÓD DOSTAWY",
        },
    ),
    "ja-JP": Locale(
        "ja-JP",
        "JPY",
        "¥",
        ",",
        ".",
        True,
        0,
        "ja",
        {
            "title": "請求書",
            "number": "請求書番号",
            "date": "請求日",
            "due": "お支払期限",
            "bill_to": "御中",
            "description": "品名",
            "qty": "数量",
            "unit": "単価",
            "amount": "金額",
            "subtotal": "小計",
            "tax": "消費税（{rate}）",
            "total": "合計",
            "terms": "お支払条件: {days}日",
            "delivery": "納品書",
        },
    ),
}


def format_money(minor: int, locale: Locale) -> str:
    negative = minor < 0
    minor = abs(minor)
    if locale.minor_digits:
        whole, cents = divmod(minor, 10**locale.minor_digits)
        fraction = locale.decimal + str(cents).zfill(locale.minor_digits)
    else:
        whole, fraction = minor, ""
    grouped = f"{whole:,}".replace(",", locale.thousands) + fraction
    text = f"{locale.symbol}{grouped}" if locale.symbol_first else f"{grouped} {locale.symbol}"
    return "-" + text if negative else text


def format_doc_date(day: date, locale: Locale) -> str:
    if locale.date_style == "us":
        return f"{day.month:02d}/{day.day:02d}/{day.year}"
    if locale.date_style == "dmy-dot":
        return f"{day.day:02d}.{day.month:02d}.{day.year}"
    if locale.date_style == "dmy-slash":
        return f"{day.day:02d}/{day.month:02d}/{day.year}"
    if locale.date_style == "dmy-dash":
        return f"{day.day:02d}-{day.month:02d}-{day.year}"
    return f"{day.year}年{day.month}月{day.day}日"


def amount_value(minor: int, locale: Locale) -> int | float:
    """The JSON number for an amount: whole units for JPY, a decimal (float) otherwise."""
    if locale.minor_digits == 0:
        return minor
    return minor / 10**locale.minor_digits


@dataclass(frozen=True)
class Vendor:
    name: str
    short_name: str
    address: str
    locale: str
    tax_rate_bp: int
    number_format: str
    items: tuple[tuple[str, int], ...]
    terms_days: int


VENDORS: tuple[Vendor, ...] = (
    Vendor(
        "Acme Office Supply Co.",
        "Acme Office Supply",
        "1200 Industrial Pkwy, Dayton, OH 45404, USA",
        "en-US",
        725,
        "AOS-{n:06d}",
        (("Copy paper, A4 80 g, box of 5 reams", 3249), ("Toner cartridge HP 59A", 11899), ("Whiteboard markers, 12-pack", 1450), ("Archive boxes, 25-pack", 4175)),
        30,
    ),
    Vendor(
        "Nordlicht Büromöbel GmbH",
        "Nordlicht Büromöbel",
        "Hafenstraße 12, 20457 Hamburg, Deutschland",
        "de-DE",
        1900,
        "RE-2026-{n:05d}",
        (("Bürostuhl „Ergo“ schwarz", 38900), ("Schreibtisch „Kiel“ 160×80 cm", 64900), ("Monitorarm doppelt", 11950), ("Rollcontainer 3 Schübe", 21900)),
        30,
    ),
    Vendor(
        "Société Lumière SARL",
        "Lumière",
        "14 rue de la Roquette, 75011 Paris, France",
        "fr-FR",
        2000,
        "FA-{n:05d}",
        (("Lampe de bureau LED « Lumen »", 8900), ("Installation éclairage open space", 145000), ("Ampoules E27 2700 K (lot de 10)", 3490)),
        30,
    ),
    Vendor(
        "株式会社サクラ精機",
        "サクラ精機",
        "東京都大田区蒲田5-12-3",
        "ja-JP",
        1000,
        "SKR-{n:05d}",
        (("精密ドライバーセット", 12800), ("校正サービス（年間）", 168000), ("交換用センサー SK-40", 23500)),
        45,
    ),
    Vendor(
        "Pacific Rim Logistics LLC",
        "Pacific Rim Logistics",
        "2211 Harbor Blvd, Long Beach, CA 90813, USA",
        "en-US",
        0,
        "PRL-{n:05d}",
        (("Ocean freight LCL, Yokohama to Long Beach", 321000), ("Customs brokerage", 45000), ("Drayage", 55000)),
        30,
    ),
    Vendor(
        "Øresund Data ApS",
        "Øresund Data",
        "Vesterbrogade 149, 1620 København V, Danmark",
        "da-DK",
        2500,
        "ØD-{n:04d}",
        (("Hosting, månedlig", 450000), ("Support-timer", 95000), ("Backup-lager 2 TB", 39900)),
        14,
    ),
    Vendor(
        "Żabka Print Sp. z o.o.",
        "Żabka Print",
        "ul. Marszałkowska 84, 00-514 Warszawa, Polska",
        "pl-PL",
        2300,
        "FV/2026/05/{n:03d}",
        (("Wizytówki 350 g, 500 szt.", 14900), ("Ulotki A5, 2000 szt.", 52000), ("Roll-up 85×200 cm", 38900)),
        14,
    ),
    Vendor(
        "Thames Valley Catering Ltd",
        "Thames Valley Catering",
        "4 Kings Rd, Reading RG1 3AA, United Kingdom",
        "en-GB",
        2000,
        "TVC-{n:05d}",
        (("Working lunch, per person", 1450), ("Coffee and pastries, per person", 650), ("Room service charge", 7500)),
        30,
    ),
    Vendor(
        "Café Olé Catering S.L.",
        "Café Olé",
        "Calle de Alcalá 221, 28028 Madrid, España",
        "es-ES",
        1000,
        "CO-{n:05d}",
        (("Menú de trabajo, por persona", 1890), ("Servicio de café", 450), ("Montaje y recogida", 9500)),
        30,
    ),
)

BILL_TO = "Acme Finance Holdings Inc., 500 Market St, Suite 900, San Francisco, CA 94105, USA"

MERCHANTS: tuple[tuple[str, str, str, tuple[int, int]], ...] = (
    ("Blue Bottle Coffee", "1 Ferry Building, San Francisco, CA", "en-US", (450, 3800)),
    ("Deutsche Bahn Fernverkehr AG", "Reisezentrum Frankfurt (Main) Hbf", "de-DE", (2990, 15990)),
    ("Boulangerie Poilâne", "8 rue du Cherche-Midi, 75006 Paris", "fr-FR", (590, 4200)),
    ("ホテルニューオータニ", "東京都千代田区紀尾井町4-1", "ja-JP", (18000, 64000)),
    ("Pret A Manger", "Kings Cross Station, London N1C 4AP", "en-GB", (395, 2450)),
    ("Taxi Ørestad", "København S", "da-DK", (18500, 52000)),
)

COMPANIES: tuple[tuple[str, str, int], ...] = (
    ("Globex Industrial Holdings Inc.", "en-US", 1),
    ("Rheinwerk Maschinenbau AG", "de-DE", 1000),
    ("カイト食品株式会社", "ja-JP", 1000),
)


@dataclass
class Extraction:
    """One finance trace's document and the correct extraction."""

    kind: str  # invoice | receipt | statement | delivery_note
    instruction: str
    document: str
    truth: dict[str, JSONValue]
    printed: dict[str, str] = field(default_factory=dict)
    locale: Locale | None = None
    vendor: Vendor | None = None
    tags: list[str] = field(default_factory=list)


FIN_TAGS = {
    "invoice": "tag_2b7xk4qm",
    "receipt": "tag_9d3wr8ne",
    "statement": "tag_5h1tz6ac",
    "high_value": "tag_8p4mv2ld",
    "foreign_currency": "tag_3f6ny9ub",
    "q2_close": "tag_7c2qj5rw",
}


def make_invoice(rng: random.Random, received: date, vendor: Vendor | None = None) -> Extraction:
    vendor = vendor or rng.choice(VENDORS)
    locale = LOCALES[vendor.locale]
    labels = locale.labels
    issued = received - timedelta(days=rng.randint(0, 12))
    due = issued + timedelta(days=vendor.terms_days)
    width = int(vendor.number_format.split("{n:0", 1)[1][0])
    number = vendor.number_format.format(n=rng.randint(40, 10**width - 1))
    lines: list[tuple[str, int, int]] = []
    for description, unit in rng.sample(vendor.items, rng.randint(1, len(vendor.items))):
        quantity = rng.randint(1, 12) if unit < 20000 else rng.randint(1, 3)
        lines.append((description, quantity, unit))
    subtotal = sum(quantity * unit for _, quantity, unit in lines)
    tax = (subtotal * vendor.tax_rate_bp + 5000) // 10000
    total = subtotal + tax
    rate = f"{vendor.tax_rate_bp / 100:g} %" if locale.code != "en-US" else f"{vendor.tax_rate_bp / 100:g}%"
    show_due_date = rng.random() < 0.8
    body = [
        vendor.name,
        vendor.address,
        "",
        labels["title"],
        f"{labels['number']}: {number}",
        f"{labels['date']}: {format_doc_date(issued, locale)}",
        f"{labels['due']}: {format_doc_date(due, locale)}" if show_due_date else labels["terms"].format(days=vendor.terms_days),
        f"{labels['bill_to']}: {BILL_TO}",
        "",
        f"{labels['description']} | {labels['qty']} | {labels['unit']} | {labels['amount']}",
    ]
    for description, quantity, unit in lines:
        body.append(f"{description} | {quantity} | {format_money(unit, locale)} | {format_money(quantity * unit, locale)}")
    body += [
        "",
        f"{labels['subtotal']}: {format_money(subtotal, locale)}",
        f"{labels['tax'].format(rate=rate)}: {format_money(tax, locale)}",
        f"{labels['total']}: {format_money(total, locale)}",
    ]
    truth: dict[str, JSONValue] = {
        "vendor_name": vendor.name,
        "invoice_number": number,
        "invoice_date": issued.isoformat(),
        "due_date": due.isoformat(),
        "currency": locale.currency,
        "subtotal": amount_value(subtotal, locale),
        "tax_amount": amount_value(tax, locale),
        "total_amount": amount_value(total, locale),
    }
    tags = [FIN_TAGS["invoice"]]
    if locale.currency != "USD":
        tags.append(FIN_TAGS["foreign_currency"])
    if total >= (5_000_00 if locale.minor_digits else 500_000):
        tags.append(FIN_TAGS["high_value"])
    return Extraction(
        kind="invoice",
        instruction=f"Extract the invoice fields from the document below.\nReceived: {received.isoformat()}",
        document="\n".join(body),
        truth=truth,
        printed={"invoice_date": format_doc_date(issued, locale), "symbol": locale.symbol},
        locale=locale,
        vendor=vendor,
        tags=tags,
    )


def make_delivery_note(rng: random.Random, received: date) -> Extraction:
    """A document that is not an invoice; models tend to invent amounts for it."""
    vendor = rng.choice(VENDORS)
    locale = LOCALES[vendor.locale]
    labels = locale.labels
    shipped = received - timedelta(days=rng.randint(0, 5))
    number = f"LS-{rng.randint(10000, 99999)}"
    body = [vendor.name, vendor.address, "", labels["delivery"], f"Nr.: {number}", format_doc_date(shipped, locale), ""]
    for description, _unit in rng.sample(vendor.items, min(2, len(vendor.items))):
        body.append(f"{description} | {rng.randint(1, 6)}")
    return Extraction(
        kind="delivery_note",
        instruction=f"Extract the invoice fields from the document below.\nReceived: {received.isoformat()}",
        document="\n".join(body),
        truth={
            "vendor_name": None,
            "invoice_number": None,
            "invoice_date": None,
            "due_date": None,
            "currency": None,
            "subtotal": None,
            "tax_amount": None,
            "total_amount": None,
        },
        locale=locale,
        vendor=vendor,
        tags=[FIN_TAGS["invoice"]],
    )


def make_receipt(rng: random.Random, received: date) -> Extraction:
    merchant, address, code, (low, high) = rng.choice(MERCHANTS)
    locale = LOCALES[code]
    day = received - timedelta(days=rng.randint(0, 6))
    total = rng.randint(low, high)
    if locale.minor_digits == 0:
        total = total // 100 * 100
    method = rng.choice(("card", "card", "card", "cash"))
    paid = "VISA **** 4417" if method == "card" else ("Bar" if code == "de-DE" else "現金" if code == "ja-JP" else "Cash")
    body = [
        merchant,
        address,
        f"{format_doc_date(day, locale)} {rng.randint(7, 21):02d}:{rng.randint(0, 59):02d}",
        "",
        f"TOTAL {format_money(total, locale)}",
        paid,
    ]
    tags = [FIN_TAGS["receipt"]] + ([FIN_TAGS["foreign_currency"]] if locale.currency != "USD" else [])
    return Extraction(
        kind="receipt",
        instruction=f"Extract the receipt fields.\nReceived: {received.isoformat()}",
        document="\n".join(body),
        truth={
            "merchant_name": merchant,
            "receipt_date": day.isoformat(),
            "currency": locale.currency,
            "total_amount": amount_value(total, locale),
            "payment_method": method,
        },
        printed={"receipt_date": format_doc_date(day, locale), "symbol": locale.symbol},
        locale=locale,
        tags=tags,
    )


def make_statement(rng: random.Random, received: date) -> Extraction:
    company, code, unit = rng.choice(COMPANIES)
    locale = LOCALES[code]
    revenue = rng.randint(800, 9000) * 10_000 // unit * unit
    net_income = revenue * rng.randint(3, 14) // 100 // unit * unit
    heading, label_revenue, label_income = {
        "de-DE": ("Konzern-Gewinn- und Verlustrechnung, Quartal zum 31.03.2026 (in TEUR)", "Umsatzerlöse", "Konzernjahresüberschuss"),
        "ja-JP": ("連結損益計算書（2026年3月31日終了四半期）（単位：千円）", "売上高", "当期純利益"),
    }.get(code, ("Consolidated statement of income, quarter ended March 31, 2026", "Revenue", "Net income"))

    def shown(value: int) -> str:
        return f"{value // unit:,}".replace(",", locale.thousands)

    body = [company, heading, "", f"{label_revenue}: {shown(revenue)}", f"{label_income}: {shown(net_income)}"]
    return Extraction(
        kind="statement",
        instruction="Extract net income from the attached statement.",
        document="\n".join(body),
        truth={
            "company_name": company,
            "period_end": "2026-03-31",
            "currency": locale.currency,
            "revenue": revenue,
            "net_income": net_income,
        },
        locale=locale,
        tags=[FIN_TAGS["statement"], FIN_TAGS["q2_close"]],
    )


def make_extraction(rng: random.Random, received: date) -> Extraction:
    roll = rng.random()
    if roll < 0.70:
        return make_invoice(rng, received)
    if roll < 0.86:
        return make_receipt(rng, received)
    return make_statement(rng, received)


FINANCE_ERRORS_BEFORE_REFINEMENT = ("date_format", "date_format", "missed_tax", "missed_tax", "legal_form")
FINANCE_ERRORS_AFTER_REFINEMENT = ("legal_form", "currency_symbol", "due_date_missing", "date_format")


def flawed_extraction(extraction: Extraction, kind: str) -> dict[str, JSONValue]:
    """The model's output with one typical mistake (what a reviewer corrects)."""
    output = dict(extraction.truth)
    if extraction.kind == "receipt":
        if kind == "currency_symbol":
            output["currency"] = extraction.printed["symbol"]
        else:
            output["receipt_date"] = extraction.printed["receipt_date"]
        return output
    if extraction.kind == "statement":
        output["net_income"] = output["net_income"] // 1000 if isinstance(output["net_income"], int) and output["net_income"] >= 1000 else 0
        return output
    if kind == "missed_tax" and output["tax_amount"]:
        output["total_amount"] = output["subtotal"]
    elif kind == "legal_form" and extraction.vendor is not None:
        output["vendor_name"] = extraction.vendor.short_name
    elif kind == "currency_symbol":
        output["currency"] = extraction.printed["symbol"]
    elif kind == "due_date_missing":
        output["due_date"] = None
    else:
        output["invoice_date"] = extraction.printed["invoice_date"]
    return output


def invented_extraction(rng: random.Random, extraction: Extraction) -> dict[str, JSONValue]:
    """What a model makes up for a delivery note (reviewers reject these)."""
    assert extraction.vendor is not None and extraction.locale is not None
    amount = rng.randint(10_000, 500_000)
    return {
        "vendor_name": extraction.vendor.name,
        "invoice_number": f"LS-{rng.randint(10000, 99999)}",
        "invoice_date": "2026-05-01",
        "due_date": None,
        "currency": extraction.locale.currency,
        "subtotal": amount_value(amount, extraction.locale),
        "tax_amount": None,
        "total_amount": amount_value(amount, extraction.locale),
    }


# ---------------------------------------------------------------------------------------------
# Support tickets (proj_supportdesk: input_type text, output_type text)
# ---------------------------------------------------------------------------------------------

CUSTOMERS: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (("Emily Carter", "Emily"), ("Marcus Reed", "Marcus"), ("Priya Natarajan", "Priya"), ("Tom O'Brien", "Tom")),
    "de": (("Jonas Weber", "Jonas"), ("Anna Müller", "Anna"), ("Lukas Schäfer", "Lukas")),
    "es": (("Lucía Fernández", "Lucía"), ("Javier Gómez", "Javier")),
    "fr": (("Camille Dubois", "Camille"), ("Théo Lefèvre", "Théo")),
    "pt": (("João Silva", "João"), ("Mariana Costa", "Mariana")),
    "ja": (("佐藤 美咲", "佐藤"), ("田中 健太", "田中")),
}

PRODUCTS: dict[str, tuple[str, ...]] = {
    "en": ("Ergo chair", "standing desk Kiel", "dual monitor arm", "Lumen desk lamp"),
    "de": ("Bürostuhl Ergo", "Schreibtisch Kiel", "Monitorarm"),
    "es": ("silla Ergo", "escritorio Kiel"),
    "fr": ("chaise Ergo", "bureau Kiel", "lampe Lumen"),
    "pt": ("cadeira Ergo", "mesa Kiel"),
    "ja": ("エルゴチェア", "昇降デスク Kiel"),
}

LOCALE_OF = {"en": "en-US", "de": "de-DE", "es": "es-ES", "fr": "fr-FR", "pt": "pt-BR", "ja": "ja-JP"}

GREETING = {
    "en": "Hi {first},",
    "de": "Hallo {first},",
    "es": "Hola, {first}:",
    "fr": "Bonjour {first},",
    "pt": "Olá, {first}!",
    "ja": "{first}様",
}

SIGN_OFF = {
    "en": "Best regards,\nAcme Home & Office Support",
    "de": "Viele Grüße\nIhr Acme Home & Office Support",
    "es": "Un saludo,\nel equipo de soporte de Acme Home & Office",
    "fr": "Cordialement,\nle support Acme Home & Office",
    "pt": "Atenciosamente,\nSuporte Acme Home & Office",
    "ja": "Acme Home & Office サポートチーム",
}

#: Sentences a model adds that claim actions it cannot see (reviewers remove them), by topic group.
OVERPROMISE: dict[str, dict[str, str]] = {
    "refund": {
        "en": "Good news: your refund has already been issued and will show up on your card today.",
        "de": "Gute Nachricht: Die Erstattung ist bereits veranlasst und heute auf Ihrem Konto.",
        "es": "Buenas noticias: el reembolso ya está emitido y lo verá hoy en su tarjeta.",
        "fr": "Bonne nouvelle : le remboursement est déjà effectué et apparaîtra aujourd'hui sur votre carte.",
        "pt": "Boa notícia: o reembolso já foi emitido e aparece hoje no seu cartão.",
        "ja": "返金はすでに完了しており、本日中にカードに反映されます。",
    },
    "shipping": {
        "en": "Your parcel has just left the warehouse and will be with you tomorrow.",
        "de": "Ihr Paket hat das Lager soeben verlassen und kommt morgen bei Ihnen an.",
        "es": "Su paquete acaba de salir del almacén y le llegará mañana.",
        "ja": "お荷物は本日出荷済みで、明日お届けの予定です。",
    },
    "generic": {
        "en": "I've already updated everything in your account, so there is nothing left for you to do.",
        "de": "Ich habe in Ihrem Konto bereits alles erledigt, Sie müssen nichts weiter tun.",
        "es": "Ya he actualizado todo en su cuenta, no tiene que hacer nada más.",
        "fr": "J'ai déjà tout mis à jour dans votre compte, vous n'avez plus rien à faire.",
    },
}

OVERPROMISE_GROUP = {"refund": "refund", "damaged_item": "refund", "shipping_delay": "shipping"}

# (ticket, reply body) per topic and language. Placeholders: {order}, {product}, {first}, {name}.
TICKETS: dict[str, dict[str, tuple[str, str]]] = {
    "refund": {
        "en": (
            "Hi, I ordered the {product} (order {order}) two weeks ago and it doesn't fit under my desk. "
            "Can I return it and get my money back? Thanks, {name}",
            "Thanks for getting in touch about order {order}. Yes, you can return the {product}: unused items "
            "can be sent back within 30 days of delivery. I've emailed you a prepaid return label. Once the "
            "carrier scans the parcel, the refund goes to your original payment method within 5–7 business days.",
        ),
        "de": (
            "Guten Tag, ich habe den {product} (Bestellung {order}) bestellt, er passt leider nicht in mein "
            "Arbeitszimmer. Kann ich ihn zurückschicken? Viele Grüße, {name}",
            "danke für Ihre Nachricht zur Bestellung {order}. Sie können den {product} innerhalb von 30 Tagen "
            "nach Lieferung zurückschicken. Ein kostenloses Rücksendeetikett habe ich Ihnen per E-Mail "
            "geschickt. Sobald der Versanddienstleister das Paket scannt, erstatten wir den Betrag innerhalb "
            "von 5–7 Werktagen auf Ihr ursprüngliches Zahlungsmittel.",
        ),
        "es": (
            "Hola, compré la {product} (pedido {order}) y no me resulta cómoda. ¿Puedo devolverla? Gracias, {name}",
            "gracias por escribirnos sobre el pedido {order}. Puede devolver la {product} en un plazo de 30 días "
            "desde la entrega. Le hemos enviado por correo una etiqueta de devolución prepagada. Cuando el "
            "transportista escanee el paquete, el reembolso llegará a su método de pago original en 5–7 días hábiles.",
        ),
        "fr": (
            "Bonjour, j'ai commandé la {product} (commande {order}) mais elle ne me convient pas. Puis-je la "
            "retourner ? Merci, {name}",
            "merci pour votre message concernant la commande {order}. Vous pouvez retourner la {product} dans "
            "un délai de 30 jours après la livraison. Je vous ai envoyé par e-mail une étiquette de retour "
            "prépayée. Dès que le transporteur aura scanné le colis, le remboursement sera effectué sur votre "
            "moyen de paiement d'origine sous 5 à 7 jours ouvrés.",
        ),
        "pt": (
            "Olá, comprei a {product} (pedido {order}) e quero devolver. Como faço? Obrigado, {name}",
            "obrigado pelo contato sobre o pedido {order}. Você pode devolver a {product} em até 30 dias após a "
            "entrega. Enviamos por e-mail uma etiqueta de devolução pré-paga. Assim que a transportadora "
            "escanear o pacote, o reembolso cai no seu meio de pagamento original em 5 a 7 dias úteis.",
        ),
        "ja": (
            "お世話になっております。注文番号 {order} の{product}を返品したいのですが、可能でしょうか。{name}",
            "ご注文 {order} の件でご連絡いただきありがとうございます。{product}はお届けから30日以内であれば"
            "返品いただけます。送料無料の返品ラベルをメールでお送りしました。配送業者が荷物をスキャンした後、"
            "5〜7営業日以内に元のお支払い方法へ返金いたします。",
        ),
    },
    "shipping_delay": {
        "en": (
            "Where is my order {order}? It was supposed to arrive last Friday and the tracking page hasn't "
            "changed in four days. — {name}",
            "I'm sorry your order {order} is taking longer than expected. You can follow it at "
            "https://acme.example/track/{order}; the carrier updates that page daily. If it hasn't moved in "
            "three more business days, reply to this email and we'll open an investigation with the carrier.",
        ),
        "de": (
            "Hallo, meine Bestellung {order} sollte schon letzte Woche kommen. Die Sendungsverfolgung zeigt "
            "seit Tagen nichts Neues. {name}",
            "es tut mir leid, dass Ihre Bestellung {order} länger braucht. Den aktuellen Stand sehen Sie unter "
            "https://acme.example/track/{order}; der Versanddienstleister aktualisiert die Seite täglich. Wenn "
            "sich in drei Werktagen nichts tut, antworten Sie bitte auf diese E-Mail, dann lassen wir die "
            "Sendung beim Versanddienstleister nachforschen.",
        ),
        "es": (
            "¿Dónde está mi pedido {order}? Debía llegar el viernes. {name}",
            "siento que el pedido {order} se esté retrasando. Puede seguirlo en https://acme.example/track/{order}; "
            "el transportista actualiza la página a diario. Si en tres días hábiles no hay movimiento, responda "
            "a este correo y abriremos una reclamación con el transportista.",
        ),
        "ja": (
            "注文 {order} がまだ届きません。追跡ページも4日間更新されていません。{name}",
            "ご注文 {order} のお届けが遅れており、申し訳ございません。配送状況は "
            "https://acme.example/track/{order} でご確認いただけます（毎日更新されます）。"
            "3営業日たっても動きがない場合は、このメールにご返信ください。配送業者に調査を依頼いたします。",
        ),
    },
    "damaged_item": {
        "en": (
            "The {product} from order {order} arrived with a cracked leg. The box was crushed too. What now? {name}",
            "I'm sorry the {product} arrived damaged. Please reply with a photo of the damage and one of the "
            "shipping label. As soon as we have them, you can choose between a replacement and a full refund.",
        ),
        "de": (
            "Der {product} aus Bestellung {order} kam mit einem Kratzer und einer Delle an. {name}",
            "das tut uns leid – der {product} sollte natürlich unbeschädigt ankommen. Schicken Sie uns bitte "
            "ein Foto des Schadens und eines des Versandetiketts als Antwort auf diese E-Mail. Danach "
            "entscheiden Sie: Ersatzlieferung oder Erstattung.",
        ),
        "fr": (
            "La {product} de la commande {order} est arrivée cassée. Que dois-je faire ? {name}",
            "je suis désolé que la {product} soit arrivée endommagée. Merci de répondre à ce message avec une "
            "photo du dommage et une de l'étiquette d'expédition. Vous pourrez ensuite choisir entre un "
            "remplacement et un remboursement.",
        ),
        "pt": (
            "A {product} do pedido {order} chegou riscada. {name}",
            "sentimos muito que a {product} tenha chegado danificada. Responda este e-mail com uma foto do dano "
            "e uma da etiqueta de envio. Depois disso, você escolhe: troca ou reembolso.",
        ),
    },
    "password_reset": {
        "en": (
            "I can't log in to my account anymore and the reset email never arrives. My email is on this ticket. {name}",
            "Sorry about the trouble signing in. Please request a new link at https://acme.example/account/reset "
            "and check your spam folder; the email comes from no-reply@acme.example. We will never ask you for "
            "your password.",
        ),
        "fr": (
            "Je n'arrive plus à me connecter, l'e-mail de réinitialisation n'arrive pas. {name}",
            "désolé pour ce souci de connexion. Demandez un nouveau lien sur https://acme.example/account/reset "
            "et vérifiez vos courriers indésirables ; l'e-mail vient de no-reply@acme.example. Nous ne vous "
            "demanderons jamais votre mot de passe.",
        ),
    },
    "invoice_copy": {
        "en": (
            "Could you send me a copy of the invoice for order {order}? Our accounting needs it. {name}",
            "You can download the invoice for order {order} yourself under Account → Orders → Download invoice "
            "(PDF). It already shows your company name and VAT number if you entered them at checkout.",
        ),
        "de": (
            "Bitte senden Sie mir die Rechnung zu Bestellung {order} mit unserer USt-IdNr. {name}",
            "die Rechnung zur Bestellung {order} können Sie unter Konto → Bestellungen → Rechnung herunterladen "
            "(PDF) abrufen. Ihre USt-IdNr. erscheint darauf, wenn Sie sie bei der Bestellung angegeben haben.",
        ),
    },
    "cancel_subscription": {
        "en": (
            "Please cancel my Acme Supplies Plus subscription. I don't need the monthly deliveries anymore. {name}",
            "I've noted your request to cancel Acme Supplies Plus. You can also cancel it any time under "
            "Account → Subscriptions. Your plan stays active until the end of the month you've already paid for.",
        ),
        "es": (
            "Quiero cancelar mi suscripción Acme Supplies Plus. {name}",
            "hemos recibido su solicitud de cancelar Acme Supplies Plus. También puede hacerlo en Cuenta → "
            "Suscripciones. El plan sigue activo hasta el final del mes ya pagado.",
        ),
    },
    "data_export": {
        "en": (
            "Under GDPR I request a copy of all personal data you hold about me. {name}",
            "We've received your request for a copy of your personal data. The export will arrive by email "
            "within 30 days. For your security we don't include any personal data in this reply.",
        ),
        "de": (
            "Gemäß DSGVO Art. 15 bitte ich um Auskunft über meine gespeicherten Daten. {name}",
            "wir haben Ihre Anfrage auf Auskunft über Ihre gespeicherten Daten erhalten. Den Export senden wir "
            "Ihnen innerhalb von 30 Tagen per E-Mail. Aus Sicherheitsgründen enthält diese Antwort keine "
            "personenbezogenen Daten.",
        ),
    },
}

SUP_TAGS = {
    "returns": "tag_4r8cz1wd",
    "shipping": "tag_6s2vn7kb",
    "account": "tag_1a9pq3xe",
    "billing": "tag_0b5tm8yh",
    "privacy": "tag_3g7jw2uf",
    "non_english": "tag_5n1hx6rc",
    "vip": "tag_9v4dk0ls",
}

TOPIC_TAG = {
    "refund": "returns",
    "damaged_item": "returns",
    "shipping_delay": "shipping",
    "password_reset": "account",
    "invoice_copy": "billing",
    "cancel_subscription": "billing",
    "data_export": "privacy",
}


@dataclass
class Ticket:
    topic: str
    language: str
    ticket: str
    reply: str
    fields: dict[str, str]
    tags: list[str]


def compose_reply(language: str, first: str, body: str) -> str:
    greeting = GREETING[language].format(first=first)
    if language == "ja":
        return f"{greeting}\n\n{body}\n\n{SIGN_OFF[language]}"
    # German letters continue in lower case after "Hallo Jonas,"; the others start a new sentence.
    opening = body if language == "de" else body[0].upper() + body[1:]
    return f"{greeting}\n\n{opening}\n\n{SIGN_OFF[language]}"


def make_ticket(rng: random.Random) -> Ticket:
    language = rng.choices(("en", "de", "es", "fr", "pt", "ja"), weights=(55, 15, 10, 8, 6, 6))[0]
    topics = [topic for topic, by_language in TICKETS.items() if language in by_language]
    topic = rng.choice(topics)
    name, first = rng.choice(CUSTOMERS[language])
    fields = {
        "order": f"AHO-{rng.randint(100000, 999999)}",
        "product": rng.choice(PRODUCTS[language]),
        "name": name,
        "first": first,
    }
    ticket_text, body = TICKETS[topic][language]
    tags = [SUP_TAGS[TOPIC_TAG[topic]]]
    if language != "en":
        tags.append(SUP_TAGS["non_english"])
    if rng.random() < 0.1:
        tags.append(SUP_TAGS["vip"])
    return Ticket(topic, language, ticket_text.format(**fields), compose_reply(language, first, body.format(**fields)), fields, tags)


def flawed_reply(ticket: Ticket, kind: str) -> str:
    """The model's reply with one typical mistake (what a reviewer corrects)."""
    if kind == "window_14" and ticket.topic == "refund":
        return ticket.reply.replace("30", "14", 1)
    head, _, tail = ticket.reply.rpartition("\n\n")
    sentence = OVERPROMISE[OVERPROMISE_GROUP.get(ticket.topic, "generic")][ticket.language]
    return f"{head} {sentence}\n\n{tail}"


def rejected_reply(ticket: Ticket) -> str:
    """A reply reviewers reject: the wrong language, or an answer to another question."""
    if ticket.language != "en" and ticket.topic in TICKETS and "en" in TICKETS[ticket.topic]:
        body = TICKETS[ticket.topic]["en"][1].format(**ticket.fields)
        return compose_reply("en", ticket.fields["first"], body)
    other = "password_reset" if ticket.topic != "password_reset" else "invoice_copy"
    return compose_reply(ticket.language, ticket.fields["first"], TICKETS[other]["en"][1].format(**ticket.fields))


# ---------------------------------------------------------------------------------------------
# Traces
# ---------------------------------------------------------------------------------------------

DAY_START = datetime(FIRST_DAY.year, FIRST_DAY.month, FIRST_DAY.day, tzinfo=timezone.utc)
PULL_TIME = parse_time(PULLED_AT)
TRACES_PER_DAY = {FINANCE: (14, 20), SUPPORT: (10, 16)}
MODELS = {FINANCE: (("gpt-4o", 85), ("gpt-4o-mini", 15)), SUPPORT: (("gpt-4o-mini", 70), ("gpt-4o", 30))}
#: Share of reviewed traces a reviewer corrects, by version number (None: no or unknown version).
CORRECTION_RATE = {
    FINANCE: {3: 0.34, 4: 0.18, 5: 0.14, None: 0.25},
    SUPPORT: {2: 0.30, 3: 0.15, 4: 0.12, None: 0.25},
}
REJECTION_RATE = 0.08
#: How the ~5% unlinked traces leave out the prompt version, in turn.
UNLINKED_STYLES = ("no_trace_config", "config_without_id", "no_trace_config", "config_without_id", "empty_config", "config_without_id")


@dataclass
class Draft:
    """A trace before its payload is written."""

    project: str
    trace_id: str
    created: datetime
    link: str = "linked"  # linked | dangling | one of UNLINKED_STYLES
    special: str | None = None
    version_index: int | None = None
    status: str = "pending"
    reviewed: datetime | None = None


def active_version_index(project: str, moment: datetime) -> int:
    plan = PLANS[project]
    index = max(i for i, step in enumerate(plan) if parse_time(step.created_at) <= moment)
    return index


def day_of(moment: datetime) -> date:
    return moment.astimezone(timezone.utc).date()


def plan_drafts(rng: random.Random) -> dict[str, list[Draft]]:
    drafts: dict[str, list[Draft]] = {}
    for project in PROJECTS:
        low, high = TRACES_PER_DAY[project]
        moments: list[datetime] = []
        for day in range(DAYS):
            start = DAY_START + timedelta(days=day)
            for _ in range(rng.randint(low, high)):
                if rng.random() < 0.1:
                    offset = rng.randint(0, 86399)
                else:
                    offset = rng.randint(6 * 3600, 22 * 3600 - 1)
                moments.append(start + timedelta(seconds=offset))
        moments.sort()
        items = [Draft(project, random_id(rng, "trc_", 20), moment) for moment in moments]
        if project == FINANCE:
            # Two traces ingested in the same second (a batch): ordered by trace_id.
            same_day = [i for i, d in enumerate(items) if day_of(d.created) == date(2026, 5, 13)]
            first = same_day[len(same_day) // 2]
            items[first + 1].created = items[first].created
        items.sort(key=lambda d: (d.created, d.trace_id))
        for item in items:
            item.version_index = active_version_index(project, item.created)
        drafts[project] = items
    return drafts


def assign_links(rng: random.Random, drafts: dict[str, list[Draft]]) -> None:
    styles = iter(UNLINKED_STYLES * 4)
    for project in PROJECTS:
        items = drafts[project]
        if project == FINANCE:
            # Special outputs: after version 5 was saved (2026-05-18 08:30), reviewed ones before the 20th.
            v5 = parse_time(FINANCE_PLAN[-1].created_at)
            early = [d for d in items if v5 < d.created and day_of(d.created) <= date(2026, 5, 19)]
            late = [d for d in items if day_of(d.created) == date(2026, 5, 20)]
            for name, draft in zip(("nested_invoice", "bank_statement", "unicode_invoice"), rng.sample(early, 3)):
                draft.special = name
            rng.choice(late).special = "expense_report"
            dangling = rng.choice([d for d in items if day_of(d.created) == date(2026, 5, 12) and d.special is None])
            dangling.link = "dangling"
        candidates = [d for d in items if d.special is None and d.link == "linked"]
        for draft in rng.sample(candidates, round(len(items) * 0.05)):
            draft.link = next(styles)


def assign_statuses(rng: random.Random, drafts: dict[str, list[Draft]]) -> None:
    fixed = {"nested_invoice": "corrected", "bank_statement": "approved", "unicode_invoice": "approved", "expense_report": "pending"}
    for project in PROJECTS:
        for draft in drafts[project]:
            age = PULL_TIME - draft.created
            pending_chance = 0.65 if age < timedelta(hours=20) else 0.3 if age < timedelta(hours=44) else 0.04
            wanted = fixed.get(draft.special or "")
            if wanted == "pending" or (wanted is None and rng.random() < pending_chance):
                draft.status = "pending"
                continue
            delay = timedelta(minutes=rng.randint(8, 26 * 60))
            reviewed = draft.created + delay
            if reviewed > PULL_TIME - timedelta(minutes=15):
                reviewed = draft.created + (PULL_TIME - timedelta(minutes=15) - draft.created) / 2
                reviewed = reviewed.replace(microsecond=0)
            draft.reviewed = reviewed
            if wanted is not None:
                draft.status = wanted
                continue
            number = PLANS[project][draft.version_index].version if draft.link == "linked" and draft.version_index is not None else None
            roll = rng.random()
            if roll < REJECTION_RATE:
                draft.status = "rejected"
            elif roll < REJECTION_RATE + CORRECTION_RATE[project][number]:
                draft.status = "corrected"
            else:
                draft.status = "approved"


def special_extraction(rng: random.Random, name: str, received: date) -> tuple[Extraction, dict[str, JSONValue]]:
    """Finance traces whose outputs exercise nesting, Unicode and exact numbers.

    Returns the extraction (document and correct output) and the model's output.
    """
    if name == "nested_invoice":
        vendor = next(v for v in VENDORS if v.locale == "de-DE")
        extraction = make_invoice(rng, received, vendor)
        locale = LOCALES[vendor.locale]
        items: list[JSONValue] = []
        for line in extraction.document.splitlines():
            parts = line.split(" | ")
            if len(parts) == 4 and parts[1].isdigit():
                unit = next(price for description, price in vendor.items if description == parts[0])
                quantity = int(parts[1])
                items.append(
                    {
                        "description": parts[0],
                        "quantity": quantity,
                        "unit_price": amount_value(unit, locale),
                        "amount": amount_value(quantity * unit, locale),
                    }
                )
        extraction.document += "\n\nIBAN: DE89 3704 0044 0532 0130 00 · BIC: COBADEFFXXX"
        extraction.truth["line_items"] = items
        extraction.truth["bank"] = {"iban": "DE89 3704 0044 0532 0130 00", "bic": "COBADEFFXXX"}
        return extraction, flawed_extraction(extraction, "date_format")
    if name == "bank_statement":
        document = "\n".join(
            (
                "First Harbor Bank, N.A. · 101 Pier Ave, Seattle, WA 98101",
                "Business checking statement ST-2026-05-0091",
                "Account 9007199254740993 · Period 05/01/2026 – 05/15/2026",
                "Opening balance $1,250.45",
                "Closing balance $98,113.20",
                "Average daily balance $49,681.825",
                "Daily interest rate 0.0000001",
                "Fees: wire $0.10, statement $0.20",
                "Incoming wire ref. 123456789012345678901234567890",
                "Rounding adjustment -0.00",
            )
        )
        output: dict[str, JSONValue] = {
            "statement_id": "ST-2026-05-0091",
            "account_number": 9007199254740993,
            "currency": "USD",
            "opening_balance": 1250.45,
            "closing_balance": 98113.2,
            "average_balance": 49681.825,
            "daily_interest_rate": 1e-07,
            "fee_total": 0.1 + 0.2,
            "wire_reference": 123456789012345678901234567890,
            "rounding_adjustment": -0.0,
            "period": {"start": "2026-05-01", "end": "2026-05-15"},
        }
        extraction = Extraction(
            kind="statement",
            instruction=f"Extract the bank statement fields.\nReceived: {received.isoformat()}",
            document=document,
            truth=output,
            locale=LOCALES["en-US"],
            tags=[FIN_TAGS["statement"], FIN_TAGS["high_value"]],
        )
        return extraction, dict(output)
    if name == "unicode_invoice":
        vendor = next(v for v in VENDORS if v.locale == "ja-JP")
        extraction = make_invoice(rng, received, vendor)
        extraction.document += "\n\n備考: 納品書在中\u2028（同封のとおり）\n電子帳簿保存法対応 🧾"
        extraction.truth["memo"] = "納品書在中\u2028（同封のとおり）"
        extraction.truth["ｱｲﾃﾑ数"] = sum(1 for line in extraction.document.splitlines() if line.count(" | ") == 3) - 1
        extraction.truth["🧾"] = "電子帳簿保存法対応"
        extraction.truth["ocr_raw_total"] = "合計\t¥" + f"{extraction.truth['total_amount']:,}" + "\u0007"
        extraction.truth["éditeur"] = "Société Lumière SARL (社内参照)"
        return extraction, dict(extraction.truth)
    if name == "expense_report":
        output = {
            "report_id": "EXP-2026-0517",
            "employee": "Keiko Mori (森 恵子)",
            "currency": "USD",
            "items": [
                {"date": "2026-05-12", "merchant": "ホテルニューオータニ", "amount": 64000, "currency": "JPY", "fx_to_usd": 0.006425, "amount_usd": 411.2},
                {"date": "2026-05-13", "merchant": "Boulangerie Poilâne", "amount": 19.8, "currency": "EUR", "fx_to_usd": 1.0842, "amount_usd": 21.47},
                {"date": "2026-05-14", "merchant": "Taxi Ørestad", "amount": 385.0, "currency": "DKK", "fx_to_usd": 0.1453, "amount_usd": 55.94},
            ],
            "per_diem": {"days": 3, "rate": 75.0, "total": 225},
            "total_amount": 713.61,
            "approvals": [],
        }
        document = "\n".join(
            (
                "Expense report EXP-2026-0517 — Keiko Mori (森 恵子), Finance Ops",
                "12.05. Hotel New Otani Tokyo ¥64,000",
                "13.05. Boulangerie Poilâne 19,80 €",
                "14.05. Taxi Ørestad 385,00 kr.",
                "Per diem 3 × $75.00",
                "Convert everything to USD at the card statement rates.",
            )
        )
        extraction = Extraction(
            kind="expense_report",
            instruction=f"Extract the expense report.\nReceived: {received.isoformat()}",
            document=document,
            truth=output,
            tags=[FIN_TAGS["receipt"], FIN_TAGS["foreign_currency"]],
        )
        return extraction, json.loads(json.dumps(output))
    raise ValueError(name)


def finance_content(rng: random.Random, draft: Draft) -> tuple[dict[str, JSONValue], dict[str, JSONValue], dict[str, JSONValue] | None, list[str]]:
    """model_input, model_output, corrected_output and tags of a finance trace."""
    received = day_of(draft.created)
    corrected: dict[str, JSONValue] | None = None
    if draft.special is not None:
        extraction, output = special_extraction(rng, draft.special, received)
        if draft.status == "corrected":
            corrected = extraction.truth
    elif draft.status == "rejected" or (draft.status == "pending" and rng.random() < 0.03):
        extraction = make_delivery_note(rng, received)
        output = invented_extraction(rng, extraction)
    else:
        extraction = make_extraction(rng, received)
        version = PLANS[FINANCE][draft.version_index].version if draft.link == "linked" and draft.version_index is not None else 3
        kinds = FINANCE_ERRORS_BEFORE_REFINEMENT if version < 4 else FINANCE_ERRORS_AFTER_REFINEMENT
        if draft.status == "corrected":
            output = flawed_extraction(extraction, rng.choice(kinds))
            corrected = extraction.truth
        elif draft.status == "pending" and rng.random() < 0.25:
            output = flawed_extraction(extraction, rng.choice(kinds))
        else:
            output = dict(extraction.truth)
    model_input: dict[str, JSONValue] = {
        "content": f"{extraction.instruction}\n\n{extraction.document}",
        "document_id": random_id(rng, "doc_", 12),
    }
    if corrected is not None:
        assert corrected != output, draft.trace_id
    return model_input, output, corrected, list(extraction.tags)


def support_content(
    rng: random.Random, draft: Draft, version_content: str | None
) -> tuple[dict[str, JSONValue], dict[str, JSONValue], dict[str, JSONValue] | None, list[str]]:
    """model_input, model_output, corrected_output and tags of a support trace."""
    ticket = make_ticket(rng)
    version = PLANS[SUPPORT][draft.version_index].version if draft.link == "linked" and draft.version_index is not None else 2
    corrected: dict[str, JSONValue] | None = None
    if draft.status == "rejected":
        reply = rejected_reply(ticket)
    elif draft.status == "corrected" or (draft.status == "pending" and rng.random() < 0.2):
        kind = "window_14" if version < 3 and ticket.topic == "refund" and rng.random() < 0.7 else "overpromise"
        reply = flawed_reply(ticket, kind)
        if draft.status == "corrected":
            corrected = {"content": ticket.reply}
    else:
        reply = ticket.reply
    model_input: dict[str, JSONValue] = {}
    if version_content is not None and rng.random() < 0.12:
        # The chat widget sends its system prompt along; it is the linked version's content.
        model_input["system_prompt"] = version_content
    model_input["content"] = ticket.ticket
    model_input["ticket_id"] = f"SD-{rng.randint(10000, 99999)}"
    model_input["channel"] = rng.choice(("email", "email", "chat", "web_form"))
    model_input["locale"] = LOCALE_OF[ticket.language]
    if corrected is not None:
        assert corrected["content"] != reply, draft.trace_id
    return model_input, {"content": reply}, corrected, ticket.tags


def trace_config_for(rng: random.Random, draft: Draft, prompt_id: str | None, runs: list[str]) -> dict[str, JSONValue] | None:
    """The trace_config the customer's service sent, or None when it sent none."""
    if draft.link == "no_trace_config":
        return None
    if draft.link == "empty_config":
        return {}
    models, weights = zip(*MODELS[draft.project])
    config: dict[str, JSONValue] = {"model": rng.choices(models, weights=weights)[0]}
    if draft.link == "linked":
        config["prompt_version_id"] = prompt_id
    elif draft.link == "dangling":
        config["prompt_version_id"] = DANGLING_PROMPT_VERSION_ID
    if rng.random() < 0.9:
        config["internal_run_id"] = rng.choice(runs)
    if draft.link == "config_without_id":
        config["experiment_id"] = rng.choice(("exp_no_system_prompt", "exp_baseline_raw", "exp_model_swap"))
    if draft.project == FINANCE and rng.random() < 0.3:
        config["account_id"] = rng.choice(("acct_globex", "acct_initech", "acct_umbrella", "acct_hooli"))
    if draft.project == SUPPORT and rng.random() < 0.4:
        config["customer_id"] = random_id(rng, "cus_", 10)
    return config


def build_trace_payloads(rng: random.Random, drafts: dict[str, list[Draft]], prompt_ids: dict[str, list[str]]) -> dict[str, list[dict[str, JSONValue]]]:
    """The Tuor trace objects of each project, ordered by (created_at, id)."""
    payloads: dict[str, list[dict[str, JSONValue]]] = {}
    for project in PROJECTS:
        runs_by_day = {day: [random_id(rng, "run_01j", 6) for _ in range(3)] for day in range(DAYS)}
        objects: list[dict[str, JSONValue]] = []
        for draft in drafts[project]:
            linked = draft.link == "linked" and draft.version_index is not None
            prompt_id = prompt_ids[project][draft.version_index] if linked and draft.version_index is not None else None
            if project == FINANCE:
                model_input, output, corrected, tags = finance_content(rng, draft)
            else:
                version_content = support_prompt(PLANS[SUPPORT][draft.version_index].version) if linked and draft.version_index is not None else None
                model_input, output, corrected, tags = support_content(rng, draft, version_content)
            config = trace_config_for(rng, draft, prompt_id, runs_by_day[(day_of(draft.created) - FIRST_DAY).days])
            if draft.status == "approved":
                final: JSONValue = json.loads(json.dumps(output))
            elif draft.status == "corrected":
                final = json.loads(json.dumps(corrected))
            else:
                final = None
            if draft.status == "pending":
                tags = tags[:1] if rng.random() < 0.5 else []
            created = format_time(draft.created)
            updated = format_time(draft.reviewed) if draft.reviewed else created
            payload: dict[str, JSONValue] = {
                "id": draft.trace_id,
                "project_id": project,
                "status": draft.status,
                "model_input": model_input,
                "model_output": output,
            }
            if config is not None:
                payload["trace_config"] = config
            payload["corrected_output"] = corrected if draft.status == "corrected" else None
            payload["final_output"] = final
            payload["tags"] = tags
            payload["created_at"] = created
            payload["updated_at"] = updated
            payload["reviewed_at"] = format_time(draft.reviewed) if draft.reviewed else None
            objects.append(payload)
        payloads[project] = objects
    return payloads


def review_stats(drafts: dict[str, list[Draft]]) -> dict[str, list[ReviewStats]]:
    """Per version: traces linked to it and reviewed before the next version was saved."""
    stats: dict[str, list[ReviewStats]] = {}
    for project in PROJECTS:
        plan = PLANS[project]
        per_version: list[ReviewStats] = []
        for index, _step in enumerate(plan):
            until = parse_time(plan[index + 1].created_at) if index + 1 < len(plan) else PULL_TIME
            reviewed = [
                d
                for d in drafts[project]
                if d.link == "linked" and d.version_index == index and d.reviewed is not None and d.reviewed < until
            ]
            per_version.append(ReviewStats(len(reviewed), sum(1 for d in reviewed if d.status == "corrected")))
        stats[project] = per_version
    return stats


def clone(value: JSONValue) -> JSONValue:
    """A deep copy through JSON text (keeps float digits, big integers and -0.0)."""
    return json.loads(json.dumps(value, allow_nan=False))


# ---------------------------------------------------------------------------------------------
# The workspace
# ---------------------------------------------------------------------------------------------


@dataclass
class Workspace:
    prompts: dict[str, list[dict[str, JSONValue]]]  # normalized records by project, by version
    traces: dict[str, list[dict[str, JSONValue]]]  # normalized records by project, by (created_at, trace_id)
    workspace: dict[str, JSONValue]
    state: dict[str, JSONValue]


def build_workspace() -> Workspace:
    rng = random.Random(SEED)
    prompt_ids = {project: [random_id(rng, "prm_", 10) for _ in PLANS[project]] for project in PROJECTS}
    drafts = plan_drafts(rng)
    assign_links(rng, drafts)
    assign_statuses(rng, drafts)
    trace_payloads = build_trace_payloads(rng, drafts, prompt_ids)
    prompt_payloads = build_prompt_payloads(rng, prompt_ids, review_stats(drafts))

    prompts = {p: [normalize_prompt_version(clone(o)) for o in prompt_payloads[p]] for p in PROJECTS}
    traces = {p: [normalize_trace(clone(o)) for o in trace_payloads[p]] for p in PROJECTS}

    streams: dict[str, JSONValue] = {}
    for project in PROJECTS:
        latest = max(traces[project], key=lambda r: (r["updated_at"] or r["created_at"], r["trace_id"]))
        streams[project] = {
            "prompts": {"high_water_mark": max(r["created_at"] for r in prompts[project]), "etag": None},
            "traces": {
                "cursor": None,
                "high_water_mark": latest["updated_at"] or latest["created_at"],
                "last_trace_id": latest["trace_id"],
            },
        }
    workspace = {
        "format": "prompttrail-workspace",
        "format_version": FORMAT_VERSION,
        "source": SOURCE,
        "base_url": BASE_URL,
        "projects": sorted(PROJECTS),
        "created_at": WORKSPACE_CREATED_AT,
        "tool_version": TOOL_VERSION,
    }
    state = {"format_version": FORMAT_VERSION, "updated_at": PULLED_AT, "streams": streams}
    return Workspace(prompts, traces, workspace, state)


def workspace_files(ws: Workspace) -> dict[str, str]:
    """Every file of the workspace: relative path → text."""
    files: dict[str, str] = {
        "workspace.json": pretty(ws.workspace),
        "state.json": pretty(ws.state),
    }
    for project in PROJECTS:
        records = sorted(ws.prompts[project], key=lambda r: r["version"])
        files[f"prompts/{project}.jsonl"] = "".join(jsonl_line(r) for r in records)
        by_day: dict[str, list[dict[str, JSONValue]]] = {}
        for record in ws.traces[project]:
            by_day.setdefault(str(record["created_at"])[:10], []).append(record)
        for day, records in sorted(by_day.items()):
            records.sort(key=lambda r: (parse_time(str(r["created_at"])), r["trace_id"]))
            files[f"traces/{project}/{day}.jsonl"] = "".join(jsonl_line(r) for r in records)
    return dict(sorted(files.items()))


def replace_directory(directory: Path, files: dict[str, str]) -> None:
    """Empty `directory` and write `files` (relative path → text) into it."""
    if directory.exists():
        shutil.rmtree(directory)
    for relative, text in files.items():
        write_text(directory / relative, text)



# ---------------------------------------------------------------------------------------------
# Sample payloads for the prompttrail/* schemas
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    """One file under samples/prompttrail/ and its samples/index.json entry."""

    name: str  # prompt-version, trace, ...
    label: str  # "valid", "valid.<what>" or the rule broken
    document: JSONValue
    reason: str
    keyword: str | None = None  # failing keyword, for invalid samples
    instance_path: str | None = None  # JSON Pointer of the failing value
    portable: bool = True

    @property
    def path(self) -> str:
        return f"samples/prompttrail/{self.name}.{self.label}.json"

    @property
    def valid(self) -> bool:
        return self.label == "valid" or self.label.startswith("valid.")

    def index_entry(self) -> dict[str, JSONValue]:
        entry: dict[str, JSONValue] = {
            "path": self.path,
            "schema": f"{SCHEMA_BASE}/{self.name}/v1.json",
            "valid": self.valid,
            "reason": self.reason,
        }
        if not self.portable:
            entry["portable"] = False
        if not self.valid:
            assert self.keyword is not None and self.instance_path is not None, self.path
            entry["expect"] = {"keyword": self.keyword, "instancePath": self.instance_path}
        return entry


def changed(record: dict[str, JSONValue], **changes: JSONValue) -> dict[str, JSONValue]:
    """A deep copy of `record` with members replaced (key order kept; new keys go last)."""
    copy = clone(record)
    assert isinstance(copy, dict)
    copy.update(changes)
    return copy


def without(record: dict[str, JSONValue], key: str) -> dict[str, JSONValue]:
    copy = clone(record)
    assert isinstance(copy, dict)
    del copy[key]
    return copy


def with_content(record: dict[str, JSONValue], content: str | list[JSONValue]) -> dict[str, JSONValue]:
    """A prompt version record with new content, its hash and size recomputed, payload updated."""
    digest, size = content_hash(content)
    copy = changed(record, content=content, content_sha256=digest, content_bytes=size)
    payload = copy["source_payload"]
    assert isinstance(payload, dict)
    payload["content"] = clone(content)
    return copy


TRACIA_PROMPT: dict[str, JSONValue] = {
    "id": "clx1abc123",
    "slug": "welcome-email",
    "name": "Updated Welcome Email",
    "description": "A welcome email template",
    "provider": "OPENAI",
    "model": "gpt-4",
    "temperature": 0.7,
    "topP": None,
    "maxOutputTokens": None,
    "currentVersion": 4,
    "content": [{"id": "msg_1", "role": "user", "content": "Write a friendly welcome email for {{name}} at {{company}}."}],
    "variables": ["name", "company"],
    "createdAt": "2024-01-15T10:30:00.000Z",
    "updatedAt": "2024-01-22T08:45:00.000Z",
}

#: A Tracia span (GET /spans/{spanId}); the shape tracia/span describes.
TRACIA_SPAN: dict[str, JSONValue] = {
    "id": "clx9spn4k2",
    "spanId": "sp_7f3a9c2e41d8",
    "traceId": "tr_session5521",
    "parentSpanId": None,
    "promptSlug": "welcome-email",
    "promptVersion": 4,
    "model": "gpt-4",
    "provider": "openai",
    "input": {"messages": [{"role": "user", "content": "Write a friendly welcome email for Ana at Globex."}]},
    "variables": {"name": "Ana", "company": "Globex"},
    "output": "Hi Ana,\n\nWelcome to Globex! We're glad you're here…",
    "status": "SUCCESS",
    "error": None,
    "latencyMs": 812,
    "inputTokens": 31,
    "outputTokens": 118,
    "totalTokens": 149,
    "cost": 0.00152,
    "tags": ["onboarding"],
    "userId": None,
    "sessionId": None,
    "createdAt": "2024-01-23T09:12:44.000Z",
}


def tracia_prompt_record() -> dict[str, JSONValue]:
    payload = clone(TRACIA_PROMPT)
    assert isinstance(payload, dict)
    content = payload["content"]
    assert isinstance(content, list)
    digest, size = content_hash(content)
    return {
        "record_type": "prompt_version",
        "format_version": FORMAT_VERSION,
        "source": "tracia",
        "project_id": "marketing-emails",
        "prompt_version_id": f"{payload['id']}@{payload['currentVersion']}",
        "prompt_key": payload["slug"],
        "version": payload["currentVersion"],
        "is_active": True,
        "parent_id": None,
        "created_at": payload["updatedAt"],
        "created_by": None,
        "origin": None,
        "rationale": None,
        "content": clone(content),
        "content_sha256": digest,
        "content_bytes": size,
        "model": payload["model"],
        "provider": payload["provider"],
        "temperature": payload["temperature"],
        "top_p": payload["topP"],
        "max_output_tokens": payload["maxOutputTokens"],
        "source_payload": payload,
    }


def tracia_trace_record() -> dict[str, JSONValue]:
    span = clone(TRACIA_SPAN)
    assert isinstance(span, dict)
    return {
        "record_type": "trace",
        "format_version": FORMAT_VERSION,
        "source": "tracia",
        "project_id": "marketing-emails",
        "trace_id": span["spanId"],
        "created_at": span["createdAt"],
        "updated_at": None,
        "status": span["status"],
        "model": span["model"],
        "prompt_version_id": f"{TRACIA_PROMPT['id']}@{span['promptVersion']}",
        "prompt_version": span["promptVersion"],
        "internal_run_id": None,
        "tags": clone(span["tags"]),
        "model_input": clone(span["input"]),
        "model_output": clone(span["output"]),
        "corrected_output": None,
        "final_output": None,
        "output_sha256": output_hash(span["output"]),
        "source_payload": span,
    }


def lineage_records(ws: Workspace) -> list[dict[str, JSONValue]]:
    """Lineage lines for the workspace's traces, as an archive of it would hold them."""
    records: list[dict[str, JSONValue]] = []
    for project in PROJECTS:
        versions = {r["prompt_version_id"]: r for r in ws.prompts[project]}
        by_day: dict[str, list[dict[str, JSONValue]]] = {}
        for trace in ws.traces[project]:
            by_day.setdefault(str(trace["created_at"])[:10], []).append(trace)
        for day, traces in sorted(by_day.items()):
            for line, trace in enumerate(traces, start=1):
                version_id = trace["prompt_version_id"]
                version = versions.get(version_id) if isinstance(version_id, str) else None
                status = "unlinked" if version_id is None else "linked" if version is not None else "dangling"
                records.append(
                    {
                        "record_type": "lineage",
                        "format_version": FORMAT_VERSION,
                        "trace_id": trace["trace_id"],
                        "project_id": project,
                        "prompt_version_id": version_id,
                        "version": version["version"] if version else None,
                        "prompt_content_sha256": version["content_sha256"] if version else None,
                        "output_sha256": trace["output_sha256"],
                        "file": f"data/traces/{project}/{day}.jsonl",
                        "line": line,
                        "status": status,
                    }
                )
    return records


def completeness_statement(ws: Workspace) -> dict[str, JSONValue]:
    """The completeness.json an archive of the workspace carries: each project up to its trace high-water mark."""
    projects: dict[str, JSONValue] = {}
    for project in PROJECTS:
        days: dict[str, int] = {}
        versions: dict[str, int] = {}
        for record in lineage_records(ws):
            if record["project_id"] != project:
                continue
            day = str(record["file"]).rsplit("/", 1)[1][:10]
            days[day] = days.get(day, 0) + 1
            key = {"unlinked": "(unlinked)", "dangling": "(dangling)"}.get(str(record["status"]), str(record["prompt_version_id"]))
            versions[key] = versions.get(key, 0) + 1
        projects[project] = {
            "since": None,
            "until": ws.state["streams"][project]["traces"]["high_water_mark"],
            "prompt_versions": len(ws.prompts[project]),
            "traces": len(ws.traces[project]),
            "traces_per_day": dict(sorted(days.items())),
            "traces_per_prompt_version": dict(sorted(versions.items())),
        }
    return {
        "statement": "traces created in [since, until) of each project are all in this archive",
        "source": ws.workspace["source"],
        "base_url": ws.workspace["base_url"],
        "last_pull": ws.state["updated_at"],
        "prompt_versions": sum(len(ws.prompts[p]) for p in PROJECTS),
        "traces": sum(len(ws.traces[p]) for p in PROJECTS),
        "projects": projects,
        # The digest of an archive's manifest-sha256.txt; a sample needs only its shape.
        "payload_manifest_sha256": hashlib.sha256(b"manifest-sha256.txt of the sample archive").hexdigest(),
    }


OVERSIZE_JA = (
    "あなたはAcme Financeの経理アシスタントです。請求書から取引先名、請求書番号、請求日、支払期限、通貨、"
    "小計、消費税、合計を抽出し、JSONオブジェクトだけを返してください。日付はYYYY-MM-DD形式にしてください。\n"
)
OVERSIZE_EN = (
    "You are a financial assistant for Acme Finance. Extract vendor_name, invoice_number, invoice_date, "
    "due_date, currency, subtotal, tax_amount and total_amount, and return JSON only.\n"
)


def repeat_to(unit: str, predicate: Callable[[str], bool]) -> str:
    text = unit
    while not predicate(text):
        text += unit
    return text


def build_samples(ws: Workspace) -> list[Sample]:
    fin_prompts, sup_prompts = ws.prompts[FINANCE], ws.prompts[SUPPORT]
    refinement = next(r for r in fin_prompts if r["origin"] == "refinement")
    first = sup_prompts[0]
    tracia_prompt = tracia_prompt_record()
    traces = ws.traces[FINANCE] + ws.traces[SUPPORT]
    receipt = next(t for t in ws.traces[FINANCE] if t["status"] == "approved" and "merchant_name" in t["model_output"] and t["prompt_version_id"])
    corrected = next(t for t in ws.traces[SUPPORT] if t["status"] == "corrected" and "system_prompt" not in t["model_input"])
    pending = next(t for t in ws.traces[SUPPORT] if t["status"] == "pending" and "system_prompt" not in t["model_input"])
    unlinked = next(t for t in traces if "trace_config" not in t["source_payload"])
    dangling = next(t for t in traces if t["prompt_version_id"] == DANGLING_PROMPT_VERSION_ID)
    exact = next(t for t in traces if "account_number" in t["model_output"])
    tracia_trace = tracia_trace_record()
    lineage = lineage_records(ws)
    linked_line = next(r for r in lineage if r["trace_id"] == receipt["trace_id"])
    unlinked_line = next(r for r in lineage if r["status"] == "unlinked")
    dangling_line = next(r for r in lineage if r["status"] == "dangling")

    over_bytes = repeat_to(OVERSIZE_JA, lambda t: len(t.encode("utf-8")) > TUOR_CONTENT_LIMIT)
    assert len(over_bytes) <= TUOR_CONTENT_LIMIT < len(over_bytes.encode("utf-8"))
    over_chars = repeat_to(OVERSIZE_EN, lambda t: len(t) > TUOR_CONTENT_LIMIT)

    bad_pointer_payload = clone(corrected["source_payload"])
    assert isinstance(bad_pointer_payload, dict)
    bad_pointer_payload["model_output"] = "Hi Emily, thanks for reaching out…"
    quarantined_trace: dict[str, JSONValue] = {
        "record_type": "quarantined",
        "format_version": FORMAT_VERSION,
        "project_id": SUPPORT,
        "stream": "traces",
        "received_at": "2026-05-20T06:00:41Z",
        "errors": [
            {
                "instanceLocation": "/model_output",
                "keywordLocation": "/properties/model_output/type",
                "message": "\"Hi Emily, thanks for reaching out…\" is not of type \"object\"",
            }
        ],
        "payload": bad_pointer_payload,
    }
    prompt_payload = clone(fin_prompts[0]["source_payload"])
    assert isinstance(prompt_payload, dict)
    del prompt_payload["content"]
    quarantined_prompt: dict[str, JSONValue] = {
        "record_type": "quarantined",
        "format_version": FORMAT_VERSION,
        "project_id": FINANCE,
        "stream": "prompts",
        "received_at": "2026-05-11T05:45:03Z",
        "errors": [{"instanceLocation": "", "keywordLocation": "/required", "message": "'content' is a required property"}],
        "payload": prompt_payload,
    }
    quarantined_number: dict[str, JSONValue] = {
        "record_type": "quarantined",
        "format_version": FORMAT_VERSION,
        "project_id": FINANCE,
        "stream": "traces",
        "received_at": "2026-05-19T06:00:17Z",
        "errors": [
            {
                "instanceLocation": "/model_output/total_amount",
                "keywordLocation": "",
                "message": "number 1e400 is outside the range of an IEEE 754 double; output_sha256 cannot be computed",
            }
        ],
        "payload": [
            "The payload is kept as received, whatever its type.",
            {"id": "trc_h2k8d0q7vz5m1n4p6r3t", "model_output": {"total_amount": "1e400 (kept as text here)"}},
        ],
    }

    workspace = ws.workspace
    state = ws.state
    first_project = FINANCE

    def state_with(path: list[str], value: JSONValue) -> dict[str, JSONValue]:
        copy = clone(state)
        target = copy
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        return copy

    fresh_state = {
        "format_version": FORMAT_VERSION,
        "updated_at": WORKSPACE_CREATED_AT,
        "streams": {
            FINANCE: {
                "prompts": {"high_water_mark": None, "etag": None},
                "traces": {"cursor": None, "high_water_mark": None, "last_trace_id": None},
            }
        },
    }
    resume_state = state_with(["streams", SUPPORT, "traces", "cursor"], "eyJvZmZzZXQiOjEwMH0")
    resume_state["streams"][SUPPORT]["traces"]["page_size"] = 100

    complete = completeness_statement(ws)
    windowed = clone(complete)
    windowed["projects"][FINANCE]["since"] = "2026-05-01T00:00:00Z"
    first_day = next(iter(complete["projects"][FINANCE]["traces_per_day"]))
    text_count = clone(complete)
    text_count["projects"][FINANCE]["traces_per_day"][first_day] = "17"
    negative = clone(complete)
    negative["projects"][FINANCE]["traces"] = -1

    # An archive's attestation: an in-toto statement about its two manifests (the digests stand for an
    # archive of this workspace; the shape is what matters) with PromptTrail's archive predicate.
    archive_predicate: dict[str, JSONValue] = {
        "completeness": complete,
        "lineage": {status: sum(1 for r in lineage if r["status"] == status) for status in ("linked", "unlinked", "dangling")},
    }
    statement: dict[str, JSONValue] = {
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [
            {"name": name, "digest": {"sha256": sha256_hex(f"{name} of the sample archive".encode("utf-8"))}}
            for name in ("tagmanifest-sha256.txt", "manifest-sha256.txt")
        ],
        "predicateType": "https://schemas.prompttrail.dev/attestation/archive/v1",
        "predicate": archive_predicate,
    }
    upper_digest = clone(statement["subject"])
    upper_digest[0]["digest"]["sha256"] = str(upper_digest[0]["digest"]["sha256"]).upper()
    no_lineage = changed(statement, predicate=without(archive_predicate, "lineage"))

    pv, tr, li, wk, st, qu = "prompt-version", "trace", "lineage", "workspace", "state", "quarantine"
    co, it, ap, ac = "completeness", "intoto-statement", "archive-predicate", "activation"
    # prompttrail/activation: a Tracia prompt's current version, a Tuor project's active one, a deleted prompt.
    tracia_metadata = {key: clone(value) for key, value in TRACIA_PROMPT.items() if key not in ("content", "versions")}
    activation = {
        "record_type": "prompt_activation",
        "format_version": 1,
        "source": "tracia",
        "project_id": "acct_main",
        "prompt_id": TRACIA_PROMPT["id"],
        "prompt_key": TRACIA_PROMPT["slug"],
        "prompt_version_id": f"{TRACIA_PROMPT['id']}@{TRACIA_PROMPT['currentVersion']}",
        "version": TRACIA_PROMPT["currentVersion"],
        "observed_at": "2024-01-22T09:00:00Z",
        "previously_observed_at": "2024-01-22T08:30:00Z",
        "upstream_updated_at": TRACIA_PROMPT["updatedAt"],
        "metadata": tracia_metadata,
    }
    tuor_activation = changed(
        activation,
        source="tuor",
        project_id=FINANCE,
        prompt_id=None,
        prompt_key=None,
        prompt_version_id=linked_line["prompt_version_id"],
        version=linked_line["version"],
        upstream_updated_at=None,
        metadata=None,
    )
    deleted = changed(
        activation,
        prompt_version_id=None,
        version=None,
        observed_at="2024-02-01T09:00:00Z",
        previously_observed_at="2024-02-01T08:30:00Z",
        upstream_updated_at=None,
        metadata=None,
    )
    never_observed_line = changed(dangling_line, status="never_observed")
    return [
        # prompttrail/activation
        Sample(ac, "valid", activation, "Tracia: the prompt's current version, slug and metadata when a pull saw them change."),
        Sample(ac, "valid.tuor", tuor_activation, "Tuor: the project's active version; no prompt id, slug or metadata."),
        Sample(ac, "valid.deleted", deleted, "A prompt no longer listed: no version is current."),
        Sample(ac, "version-not-integer", changed(activation, version=str(activation["version"])), "The version number is an integer, not its text.", "type", "/version"),
        Sample(ac, "missing-previously-observed-at", without(activation, "previously_observed_at"), "Every line bounds the change with the previous pull's time (null for the first).", "required", ""),
        Sample(ac, "unknown-member", changed(activation, content=clone(TRACIA_PROMPT["content"])), "PromptTrail's own record: the content belongs to the prompt version, not here.", "additionalProperties", ""),
        Sample(ac, "observed-at-not-date-time", changed(activation, observed_at="yesterday"), "observed_at is an RFC 3339 date-time.", "format", "/observed_at"),
        # prompttrail/archive-predicate
        Sample(ap, "valid", archive_predicate, "The completeness statement and the lineage summary."),
        Sample(ap, "missing-completeness", without(archive_predicate, "completeness"), "The predicate states what the archive holds.", "required", ""),
        Sample(ap, "lineage-not-object", changed(archive_predicate, lineage=list(archive_predicate["lineage"].values())), "The lineage summary is an object.", "type", "/lineage"),
        # prompttrail/intoto-statement
        Sample(it, "valid", statement, "A statement of an archive: its two manifests as subjects, PromptTrail's predicate."),
        Sample(it, "valid.other-predicate", changed(statement, predicateType="https://slsa.dev/provenance/v1", predicate={"buildDefinition": {"buildType": "https://example.com/build/v1"}}), "Another predicate type: any object is accepted as its predicate."),
        Sample(it, "wrong-type", changed(statement, _type="https://in-toto.io/Statement/v0.1"), "_type is the Statement v1 URI.", "const", "/_type"),
        Sample(it, "empty-subject", changed(statement, subject=[]), "A statement attests at least one subject.", "minItems", "/subject"),
        Sample(it, "bad-subject-sha256", changed(statement, subject=upper_digest), "A subject's sha256 is lowercase hex.", "pattern", "/subject/0/digest/sha256"),
        Sample(it, "subject-without-digest", changed(statement, subject=[statement["subject"][0], {"name": "manifest-sha256.txt"}]), "Every subject has a digest.", "required", "/subject/1"),
        Sample(it, "missing-predicate", without(statement, "predicate"), "The statement carries a predicate.", "required", ""),
        Sample(it, "archive-predicate-without-lineage", no_lineage, "PromptTrail's predicate type requires the archive predicate's shape.", "required", "/predicate"),
        # prompttrail/completeness
        Sample(co, "valid", complete, "The statement of the sample workspace's archive: each project up to its trace high-water mark."),
        Sample(co, "valid.window", windowed, "A window cut with trail-archive --since."),
        Sample(co, "count-not-integer", text_count, "Counts are integers, not their text.", "type", f"/projects/{FINANCE}/traces_per_day/{first_day}"),
        Sample(co, "negative-count", negative, "Counts are not negative.", "minimum", f"/projects/{FINANCE}/traces"),
        Sample(co, "missing-manifest-digest", without(complete, "payload_manifest_sha256"), "The statement names the payload manifest it counts.", "required", ""),
        Sample(co, "unknown-member", changed(complete, window={}), "PromptTrail's own file: unknown members are rejected.", "additionalProperties", ""),
        # prompttrail/prompt-version
        Sample(pv, "valid", first, "First Tuor version of a project: manual save, no parent, no rationale."),
        Sample(pv, "valid.refinement", refinement, "Accepted Tuor refinement: origin refinement, rationale, parent_id is the previous version."),
        Sample(pv, "valid.tracia", tracia_prompt, "Tracia prompt: message-array content hashed in RFC 8785 form, model settings filled, prompt_key is the slug."),
        Sample(pv, "tuor-content-over-16kb", with_content(first, over_bytes), f"Tuor content of {len(over_bytes):,} characters but {len(over_bytes.encode('utf-8')):,} bytes of UTF-8: over the 16,384-byte cap, under maxLength.", "maxUtf8Bytes", "/content", portable=False),
        Sample(pv, "tuor-content-over-16384-chars", with_content(first, over_chars), f"Tuor content of {len(over_chars):,} characters: over maxLength (and over maxUtf8Bytes).", "maxLength", "/content"),
        Sample(pv, "tuor-content-not-string", with_content(first, clone(TRACIA_PROMPT["content"])), "A Tuor prompt's content is a string, not a message array.", "type", "/content"),
        Sample(pv, "tracia-content-string", with_content(tracia_prompt, "Write a friendly welcome email."), "A Tracia prompt's content is a message array, not a string.", "type", "/content"),
        Sample(pv, "tuor-with-prompt-key", changed(first, prompt_key="support-reply"), "prompt_key is null for Tuor (one prompt history per project).", "type", "/prompt_key"),
        Sample(pv, "tuor-id-without-prefix", changed(first, prompt_version_id=str(first["prompt_version_id"])[4:]), "Tuor prompt version ids start with prm_.", "pattern", "/prompt_version_id"),
        Sample(pv, "bad-content-sha256", changed(first, content_sha256=str(first["content_sha256"]).upper()), "content_sha256 must be lowercase hex.", "pattern", "/content_sha256"),
        Sample(pv, "version-zero", changed(first, version=0), "Version numbers start at 1.", "minimum", "/version"),
        Sample(pv, "temperature-above-2", changed(tracia_prompt, temperature=2.5), "Tracia documents temperature in 0-2.", "maximum", "/temperature"),
        Sample(pv, "created-at-not-date-time", changed(first, created_at="2026-02-20 10:03:44"), "created_at must be an RFC 3339 date-time (T separator, offset).", "format", "/created_at"),
        Sample(pv, "wrong-record-type", changed(first, record_type="trace"), "record_type is always prompt_version.", "const", "/record_type"),
        Sample(pv, "missing-source-payload", without(first, "source_payload"), "The upstream object must be kept.", "required", ""),
        Sample(pv, "unknown-member", changed(first, labels=["support"]), "PromptTrail's own records allow no extra members.", "additionalProperties", ""),
        # prompttrail/trace
        Sample(tr, "valid", receipt, "Approved Tuor trace linked to a prompt version; final_output equals model_output."),
        Sample(tr, "valid.corrected", corrected, "Corrected Tuor trace: corrected_output set, final_output equals it."),
        Sample(tr, "valid.pending", pending, "Pending Tuor trace: no corrected_output, final_output null."),
        Sample(tr, "valid.unlinked", unlinked, "Tuor trace sent without trace_config: model, prompt_version_id and internal_run_id are null."),
        Sample(tr, "valid.dangling", dangling, "Tuor trace naming a prompt version that does not exist; still a valid record."),
        Sample(tr, "valid.exact-numbers", exact, "model_output with an integer beyond 2^53, 1e-07, -0.0 and nesting; source_payload keeps the digits, output_sha256 uses RFC 8785 (doubles)."),
        Sample(tr, "valid.tracia-span", tracia_trace, "Tracia span as source_payload; the prompt version is stated on the span, model_output is a string."),
        Sample(tr, "bad-output-sha256", changed(receipt, output_sha256=str(receipt["output_sha256"])[:63]), "output_sha256 must be 64 lowercase hex digits.", "pattern", "/output_sha256"),
        Sample(tr, "pending-with-final-output", changed(pending, final_output=clone(pending["model_output"])), "A pending Tuor trace has final_output null.", "type", "/final_output"),
        Sample(tr, "approved-without-final-output", changed(receipt, final_output=None), "An approved Tuor trace's final_output is its model_output, never null.", "type", "/final_output"),
        Sample(tr, "corrected-without-corrected-output", changed(corrected, corrected_output=None), "A corrected Tuor trace carries corrected_output.", "type", "/corrected_output"),
        Sample(tr, "unknown-status", changed(pending, status="in_review"), "Tuor documents pending, approved, rejected and corrected only.", "enum", "/status"),
        Sample(tr, "tuor-model-output-not-object", changed(receipt, model_output="Blue Bottle Coffee, $22.74", output_sha256=output_hash("Blue Bottle Coffee, $22.74")), "Tuor's model_output is a JSON object.", "type", "/model_output"),
        Sample(tr, "tags-not-strings", changed(receipt, tags=[{"id": "tag_9d3wr8ne", "name": "receipt"}]), "tags holds tag id strings.", "type", "/tags/0"),
        Sample(tr, "prompt-version-zero", changed(tracia_trace, prompt_version=0), "Version numbers start at 1.", "minimum", "/prompt_version"),
        Sample(tr, "updated-at-not-date-time", changed(receipt, updated_at="yesterday"), "updated_at must be an RFC 3339 date-time or null.", "format", "/updated_at"),
        Sample(tr, "source-payload-not-object", changed(receipt, source_payload=json.dumps(receipt["source_payload"], ensure_ascii=False)), "source_payload is the upstream object itself, not its JSON text.", "type", "/source_payload"),
        Sample(tr, "missing-model-output", without(receipt, "model_output"), "Every member is required.", "required", ""),
        Sample(tr, "unknown-member", changed(receipt, reviewer="user_3lena9vogt"), "PromptTrail's own records allow no extra members.", "additionalProperties", ""),
        # prompttrail/lineage
        Sample(li, "valid", linked_line, "Linked: the version exists, so its id, number and content hash are copied."),
        Sample(li, "valid.unlinked", unlinked_line, "Unlinked: the trace names no prompt version."),
        Sample(li, "valid.dangling", dangling_line, "Dangling: the trace names a version that does not exist."),
        Sample(li, "linked-without-version", changed(linked_line, version=None), "A linked record has a version number.", "type", "/version"),
        Sample(li, "linked-without-content-hash", changed(linked_line, prompt_content_sha256=None), "A linked record has the prompt's content hash.", "type", "/prompt_content_sha256"),
        Sample(li, "unlinked-with-version-id", changed(unlinked_line, prompt_version_id=linked_line["prompt_version_id"]), "An unlinked record names no prompt version.", "type", "/prompt_version_id"),
        Sample(li, "dangling-with-version", changed(dangling_line, version=3), "A dangling record has no version number to copy.", "type", "/version"),
        Sample(li, "dangling-without-version-id", changed(dangling_line, prompt_version_id=None), "A dangling record names the missing version.", "type", "/prompt_version_id"),
        Sample(li, "valid.never-observed", never_observed_line, "Never observed (format 3): the version is missing and no activation line names it, so no pull ever saw it."),
        Sample(li, "never-observed-with-version", changed(never_observed_line, version=3), "A never-observed record has no version number to copy.", "type", "/version"),
        Sample(li, "unknown-status", changed(linked_line, status="orphaned"), "status is linked, unlinked, dangling or never_observed.", "enum", "/status"),
        Sample(li, "line-zero", changed(linked_line, line=0), "Line numbers start at 1.", "minimum", "/line"),
        Sample(li, "absolute-file", changed(linked_line, file="/" + str(linked_line["file"])), "file is relative to the archive root.", "pattern", "/file"),
        Sample(li, "file-with-dotdot", changed(linked_line, file="data/traces/../../etc/passwd.jsonl"), "file may not leave the archive.", "pattern", "/file"),
        Sample(li, "bad-output-sha256", changed(linked_line, output_sha256="sha256:" + str(linked_line["output_sha256"])), "output_sha256 is bare lowercase hex.", "pattern", "/output_sha256"),
        # prompttrail/workspace
        Sample(wk, "valid", workspace, "The sample workspace's workspace.json."),
        Sample(wk, "valid.emulator", changed(workspace, base_url="http://127.0.0.1:8765", projects=[FINANCE]), "A workspace pulling from a local emulator."),
        Sample(wk, "duplicate-projects", changed(workspace, projects=[FINANCE, SUPPORT, FINANCE]), "Project ids are unique.", "uniqueItems", "/projects"),
        Sample(wk, "wrong-format", changed(workspace, format="prompttrail-archive"), "format is always prompttrail-workspace.", "const", "/format"),
        Sample(wk, "format-version-2", changed(workspace, format_version=2), "This schema describes format version 1 only.", "const", "/format_version"),
        Sample(wk, "base-url-not-uri", changed(workspace, base_url="api.tuor.dev"), "base_url is an absolute URI.", "format", "/base_url"),
        Sample(wk, "unknown-source", changed(workspace, source="langfuse"), "source is tuor or tracia.", "enum", "/source"),
        Sample(wk, "missing-tool-version", without(workspace, "tool_version"), "Every member is required.", "required", ""),
        Sample(wk, "unknown-member", changed(workspace, api_key="tuor_AbCdEf123"), "No extra members (and never a key).", "additionalProperties", ""),
        # prompttrail/state
        Sample(st, "valid", state, "The sample workspace's state.json."),
        Sample(st, "valid.fresh", fresh_state, "Before the first pull: every mark is null."),
        Sample(st, "valid.resume", resume_state, "An interrupted listing: a cursor, and an extra resume member the stream object allows."),
        Sample(st, "missing-traces-stream", changed(state, streams={first_project: {"prompts": clone(state["streams"][first_project]["prompts"])}}), "Each project has both streams.", "required", f"/streams/{first_project}"),
        Sample(st, "high-water-mark-not-date-time", state_with(["streams", first_project, "traces", "high_water_mark"], "2026-05-21"), "Marks are RFC 3339 date-times.", "format", f"/streams/{first_project}/traces/high_water_mark"),
        Sample(st, "cursor-not-string", state_with(["streams", first_project, "traces", "cursor"], 100), "The cursor is an opaque string or null.", "type", f"/streams/{first_project}/traces/cursor"),
        Sample(st, "wrong-format-version", changed(state, format_version="1"), "format_version is the number 1.", "const", "/format_version"),
        Sample(st, "unknown-member", changed(state, last_error="timeout"), "The top level allows no extra members.", "additionalProperties", ""),
        # prompttrail/quarantine
        Sample(qu, "valid", quarantined_trace, "A Tuor trace refused because model_output is not an object."),
        Sample(qu, "valid.prompts", quarantined_prompt, "A Tuor prompt version refused because content is missing."),
        Sample(qu, "valid.non-schema-error", quarantined_number, "Refused outside schema validation (keywordLocation \"\"); the payload need not be an object."),
        Sample(qu, "empty-errors", changed(quarantined_trace, errors=[]), "A quarantined record says why.", "minItems", "/errors"),
        Sample(qu, "unknown-stream", changed(quarantined_trace, stream="tags"), "stream is prompts or traces.", "enum", "/stream"),
        Sample(qu, "instance-location-not-pointer", changed(quarantined_trace, errors=[{**quarantined_trace["errors"][0], "instanceLocation": "model_output"}]), "instanceLocation is a JSON Pointer (\"/model_output\").", "format", "/errors/0/instanceLocation"),
        Sample(qu, "error-unknown-member", changed(quarantined_trace, errors=[{**quarantined_trace["errors"][0], "severity": "error"}]), "Error objects allow no extra members.", "additionalProperties", "/errors/0"),
        Sample(qu, "wrong-record-type", changed(quarantined_trace, record_type="quarantine"), "record_type is always quarantined.", "const", "/record_type"),
        Sample(qu, "missing-payload", without(quarantined_trace, "payload"), "The record as received must be kept.", "required", ""),
    ]


def merge_index(index_path: Path, entries: Iterable[dict[str, JSONValue]], prefix: str) -> None:
    """Replace the index entries under `prefix` with `entries`, keep all others, sort, write."""
    document: dict[str, JSONValue] = {"samples": []}
    if index_path.exists():
        document = json.loads(index_path.read_text(encoding="utf-8"))
    existing = document.get("samples")
    assert isinstance(existing, list), f"{index_path}: 'samples' is not an array"
    kept = [entry for entry in existing if not str(entry.get("path", "")).startswith(prefix)]
    document["samples"] = sorted(kept + list(entries), key=lambda entry: str(entry["path"]))
    write_atomically(index_path, json.dumps(document, ensure_ascii=False, indent=2) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1], help="repository root to write into")
    args = parser.parse_args(argv)
    root: Path = args.root
    ws = build_workspace()
    replace_directory(root / "samples" / "workspace", workspace_files(ws))
    samples = build_samples(ws)
    replace_directory(root / "samples" / "prompttrail", {Path(s.path).name: pretty(s.document) for s in samples})
    merge_index(root / "samples" / "index.json", (s.index_entry() for s in samples), "samples/prompttrail/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
