"""Step 5b: the services a sentence names, known to the catalogue or proposed as new.

Catalogue services are matched by name and alias. Beyond those, a sentence may name a
product the catalogue does not know yet ("Azure Front Door", "Compute@Edge"); those are
proposed as `ProposedService(name, provider)` so a reviewer can add them. Two sources, both
plain data: a small vocabulary of major providers' product names, and a capitalised phrase
right after a provider's name in English text ("Amazon Simple Queue Service"). German
text capitalises every noun, so there only the vocabulary is trusted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .model import CatalogueEntry, ProposedService
from .scanning import FastPattern, WordIndex

# provider -> ((product name, *other ways it is written), ...). Keep it small and plain:
# names a reader would recognise as a product, not every SKU.
# fmt: off
PRODUCTS: dict[str, tuple[tuple[str, ...], ...]] = {
    "AWS": (
        ("DynamoDB", "Amazon DynamoDB"), ("EC2", "Amazon EC2", "Elastic Compute Cloud"),
        ("S3", "Amazon S3", "Simple Storage Service"), ("Lambda", "AWS Lambda"),
        ("Route 53", "Amazon Route 53"), ("CloudFront", "Amazon CloudFront"),
        ("Network Load Balancer", "NLB"), ("Elastic Load Balancing", "ELB"),
        ("Application Load Balancer",), ("IAM", "AWS IAM"), ("STS", "AWS STS"),
        ("SQS", "Amazon SQS", "Simple Queue Service"), ("SNS", "Amazon SNS"),
        ("Kinesis", "Amazon Kinesis", "Kinesis Data Streams"), ("ECS", "Amazon ECS"),
        ("EKS", "Amazon EKS"), ("Fargate", "AWS Fargate"), ("RDS", "Amazon RDS"),
        ("Aurora", "Amazon Aurora"), ("ElastiCache",), ("CloudWatch", "Amazon CloudWatch"),
        ("API Gateway", "Amazon API Gateway"), ("Redshift", "Amazon Redshift"),
        ("Amazon Connect",), ("CloudTrail", "AWS CloudTrail"), ("EventBridge",),
        ("Step Functions", "AWS Step Functions"), ("Cognito", "Amazon Cognito"),
        ("AWS Health Dashboard", "Personal Health Dashboard", "Service Health Dashboard"),
        ("AWS Support Center", "Support Center"), ("AWS Management Console",),
        ("Elastic Block Store", "EBS"), ("Systems Manager",), ("Secrets Manager",),
        ("Amazon Bedrock", "Bedrock"), ("SageMaker", "Amazon SageMaker"),
    ),
    "Microsoft Azure": (
        ("Azure Front Door", "AFD", "Front Door"), ("Azure Portal",),
        ("Microsoft Entra ID", "Entra ID", "Azure Active Directory", "Azure AD"),
        ("Azure DevOps",), ("Azure SQL Database", "Azure SQL"), ("Azure Storage",),
        ("Azure Kubernetes Service", "AKS"), ("Azure Cosmos DB", "Cosmos DB"),
        ("Azure Virtual Machines",), ("Azure Resource Manager", "ARM"),
        ("Azure CDN",), ("Azure Traffic Manager",), ("Azure DNS",), ("Azure Functions",),
        ("Azure App Service", "App Service"), ("Azure Communication Services",),
        ("Azure Monitor",), ("Azure Key Vault", "Key Vault"),
    ),
    "Microsoft": (
        ("Microsoft 365", "Office 365", "M365"), ("Microsoft Teams",), ("Outlook",),
        ("Exchange Online",), ("SharePoint Online", "SharePoint"), ("OneDrive",),
        ("Xbox Live",), ("Minecraft",), ("Windows",),
    ),
    "Google Cloud": (
        ("Compute Engine", "Google Compute Engine", "GCE"), ("Cloud Storage", "GCS"),
        ("BigQuery",), ("Google Kubernetes Engine", "GKE"), ("Cloud SQL",),
        ("Cloud Run",), ("Cloud Load Balancing",), ("Cloud DNS",), ("Cloud Spanner", "Spanner"),
        ("Pub/Sub", "Cloud Pub/Sub"), ("Cloud IAM",), ("Cloud Functions",),
        ("Cloud Console", "Google Cloud Console"), ("Service Control",),
        ("Cloud Monitoring",), ("Cloud Logging",), ("Vertex AI",), ("Firestore",),
        ("Cloud Bigtable", "Bigtable"), ("App Engine",),
    ),
    "Google": (
        ("Gmail",), ("YouTube",), ("Google Workspace", "G Suite"), ("Google Drive",),
        ("Google Meet",), ("Google Calendar",), ("Google Docs",), ("Google Search",),
        ("Google Home", "Nest"), ("Android",),
    ),
    "Cloudflare": (
        ("Cloudflare WAF", "WAF", "Web Application Firewall"), ("Cloudflare Workers", "Workers"),
        ("Workers KV",), ("Cloudflare Access",), ("Zero Trust", "Cloudflare Zero Trust"),
        ("1.1.1.1",), ("Cloudflare R2", "R2"), ("Cloudflare Tunnel",), ("Turnstile",),
        ("Cloudflare Dashboard",), ("Magic Transit",), ("Spectrum",), ("Bot Management",),
        ("Cloudflare Pages",), ("Durable Objects",), ("Cloudflare CDN",), ("WARP",),
    ),
    "Fastly": (("Compute@Edge", "Fastly Compute"), ("Fastly CDN",), ("Varnish",)),
    "Akamai": (("Edge DNS", "Akamai Edge DNS"), ("Prolexic",), ("Akamai CDN",)),
    "Meta": (
        ("Facebook",), ("Instagram",), ("WhatsApp",), ("Messenger", "Facebook Messenger"),
        ("Oculus",), ("Workplace",), ("Threads",),
    ),
    "GitHub": (
        ("GitHub Actions", "Actions"), ("GitHub Pages",), ("GitHub Packages",),
        ("Codespaces", "GitHub Codespaces"), ("Copilot", "GitHub Copilot"),
        ("Git Operations",), ("Webhooks",), ("API Requests",), ("Issues",),
        ("Pull Requests",), ("GitHub.com",),
    ),
    "CrowdStrike": (("Falcon sensor", "Falcon Sensor", "Falcon"), ("Falcon platform",)),
    "Atlassian": (("Jira",), ("Confluence",), ("Bitbucket",), ("Trello",), ("Opsgenie",)),
    "Slack": (("Slack",),),
    "Zoom": (("Zoom",),),
    "Okta": (("Okta",),),
    "Heroku": (("Heroku",),),
    "Salesforce": (("Salesforce",),),
    "Datadog": (("Datadog",),),
    "PagerDuty": (("PagerDuty",),),
}
# fmt: on
_PROVIDER_WORDS: dict[str, str] = {
    "AWS": "AWS",
    "Amazon": "AWS",
    "Azure": "Microsoft Azure",
    "Microsoft": "Microsoft",
    "Google Cloud": "Google Cloud",
    "GCP": "Google Cloud",
    "Google": "Google",
    "Cloudflare": "Cloudflare",
    "Cloudflare's": "Cloudflare",
    "Fastly": "Fastly",
    "Fastly's": "Fastly",
    "Akamai": "Akamai",
    "GitHub": "GitHub",
    "Oracle Cloud": "Oracle Cloud",
    "Oracle": "Oracle",
    "IBM Cloud": "IBM Cloud",
    "CrowdStrike": "CrowdStrike",
    "Meta": "Meta",
}
# Capitalised words that start no product name: sentence openers, calendar words, titles.
# fmt: off
_NOT_PRODUCT_WORDS = frozenset((
    "The", "A", "An", "And", "Or", "But", "In", "On", "At", "For", "To", "Of", "By", "From",
    "With", "We", "Our", "It", "Its", "This", "That", "These", "Those", "As", "If", "When",
    "While", "After", "Before", "During", "Since", "Until", "Then", "There", "Here", "He",
    "She", "They", "I", "You", "Is", "Was", "Were", "Are", "Has", "Had", "Have", "Said",
    "Says", "Engineers", "Customers", "Users", "Team", "Teams", "Region", "Regions", "Inc",
    "Corp", "Ltd", "LLC", "Status", "Outage", "Outages", "Incident", "Update", "Updates",
    "Services", "Service", "Cloud", "Web", "UTC", "GMT", "PDT", "PST", "PT", "ET", "EDT",
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug",
    "Sep", "Sept", "Oct", "Nov", "Dec", "Monday", "Tuesday", "Wednesday", "Thursday",
    "Friday", "Saturday", "Sunday", "Today", "Yesterday", "Tomorrow", "Investigating",
    "Identified", "Monitoring", "Resolved", "Mitigated", "Also", "Still", "Now",
    # who speaks and where, not what failed: "Fastly Engineering", "IBM Cloud Twitter"
    "Engineering", "Support", "Product", "Products", "Twitter", "Blog", "Community", "Staff",
    "Spokesperson", "Spokesman", "Spokeswoman", "Employees", "Executives", "Partners",
))
# fmt: on
# Product names that are also ordinary words: proposed only when the document names the
# product's provider somewhere ("Actions" in a GitHub write-up, "Workers" in Cloudflare's).
# fmt: off
_AMBIGUOUS = frozenset((
    "Actions", "Issues", "Webhooks", "API Requests", "Pull Requests", "Git Operations",
    "Workers", "Spectrum", "Threads", "Workplace", "Nest", "R2", "ARM", "WAF", "Falcon",
    "Windows", "Messenger", "Outlook", "Varnish", "Turnstile", "WARP", "Bedrock", "Aurora",
    "Lambda", "Copilot", "Android", "Support Center", "Service Control", "Zero Trust",
    "Cloud Storage", "Compute Engine", "Firestore", "App Service", "Key Vault", "Front Door",
    "Systems Manager", "Secrets Manager", "Step Functions", "IAM", "STS", "SNS", "SQS", "ECS",
    "EKS", "RDS", "ELB", "NLB", "AKS", "AFD", "GCE", "GCS", "EBS", "M365", "Cloud IAM",
))
# fmt: on
_PROVIDER_NAMES: dict[str, tuple[str, ...]] = {
    "AWS": ("AWS", "Amazon"),
    "Microsoft Azure": ("Azure", "Microsoft"),
    "Microsoft": ("Microsoft",),
    "Google Cloud": ("Google", "GCP"),
    "Google": ("Google",),
    "Cloudflare": ("Cloudflare",),
    "Fastly": ("Fastly",),
    "Akamai": ("Akamai",),
    "Meta": ("Meta", "Facebook"),
    "GitHub": ("GitHub",),
    "CrowdStrike": ("CrowdStrike",),
}
_PRODUCT_WORD = r"(?:[A-Z][A-Za-z0-9@./+-]*[A-Za-z0-9]|[A-Z]|\d+)"


def _alternation(labels: Sequence[str]) -> str:
    return "|".join(
        r"\s+".join(re.escape(part) for part in label.split(" "))
        for label in sorted(labels, key=len, reverse=True)
    )


def _vocabulary() -> tuple[dict[str, ProposedService], re.Pattern[str]]:
    by_label: dict[str, ProposedService] = {}
    for provider, products in PRODUCTS.items():
        for names in products:
            for label in names:
                by_label.setdefault(label, ProposedService(names[0], provider))
    regex = re.compile(rf"(?<![\w@/.-])(?:{_alternation(list(by_label))})(?![\w@-]|\.\w)")
    return by_label, regex


_BY_LABEL, _VOCABULARY_RE = _vocabulary()
_PROVIDER_NAME_RE = re.compile(
    rf"(?<![\w-])(?:{_alternation(sorted({n for ns in _PROVIDER_NAMES.values() for n in ns}))})"
    r"(?![\w-])"
)


_FAST_PROVIDER_NAME = FastPattern(_PROVIDER_NAME_RE)


def document_providers(scan: str, words: WordIndex) -> frozenset[str]:
    """Return the providers a document names anywhere (for its ambiguous product names)."""
    written = {match.group(0) for match in _FAST_PROVIDER_NAME.finditer(scan, words)}
    return frozenset(
        provider
        for provider, names in _PROVIDER_NAMES.items()
        if any(name in written for name in names)
    )


_PROVIDER_PHRASE_RE = re.compile(
    rf"(?<![\w-])(?P<provider>{_alternation(list(_PROVIDER_WORDS))})(?:'s)?\s+"
    rf"(?P<phrase>{_PRODUCT_WORD}(?:\s+{_PRODUCT_WORD}){{0,3}})"
)


_FAST_VOCABULARY = FastPattern(_VOCABULARY_RE)
_FAST_PROVIDER_PHRASE = FastPattern(_PROVIDER_PHRASE_RE)


class ServiceMatcher:
    """Finds catalogue services by whole-word name or alias, in any case.

    A hyphen counts as a word boundary so German compounds ("DynamoDB-Abhängigkeit",
    "EC2-Instanzen") name the service; letters and digits do not, so "Slacking" is not
    Slack. A plural or genitive "s" is allowed ("Network Load Balancers", "Slack's").
    A one-word name of letters only that the catalogue capitalises is also an everyday
    word ("Windows", "Teams", "Slack"): written all in lower case ("requests in those
    windows failed"), it is that word, not the product.
    """

    def __init__(self, catalogue: Sequence[CatalogueEntry]) -> None:
        names: dict[str, str] = {}
        capitalised: set[str] = set()
        for entry in catalogue:
            for label in (entry.name, *entry.aliases):
                cleaned = " ".join(label.split())
                if cleaned:
                    names.setdefault(cleaned.casefold(), entry.name)
                if cleaned.isalpha() and not cleaned.islower():
                    capitalised.add(cleaned.casefold())
        self._canonical = names
        self._capitalised = frozenset(capitalised)
        self._regex: FastPattern | None = None
        if names:
            self._regex = FastPattern(
                re.compile(
                    rf"(?<![^\W_])(?:{_alternation(list(names))})(?:'?s)?(?![^\W_])",
                    re.IGNORECASE,
                )
            )

    def knows(self, name: str) -> bool:
        """Return True when the catalogue has `name` as a name or an alias."""
        return " ".join(name.split()).casefold() in self._canonical

    def services_in(
        self, scan: str, start: int, end: int, words: WordIndex | None = None
    ) -> tuple[str, ...]:
        """Return canonical names mentioned in scan[start:end], in order of appearance."""
        if self._regex is None:
            return ()
        found: list[str] = []
        for match in self._regex.finditer(scan, words or WordIndex(scan), start, end):
            written = " ".join(match.group(0).split())
            label = written.casefold()
            bare = re.sub(r"'?s$", "", label)
            if written.islower() and (label in self._capitalised or bare in self._capitalised):
                continue
            canonical = self._canonical.get(label) or self._canonical.get(bare)
            if canonical and canonical not in found:
                found.append(canonical)
        return tuple(found)


def propose_services(
    scan: str,
    start: int,
    end: int,
    *,
    matcher: ServiceMatcher,
    known: Sequence[str],
    language: str,
    words: WordIndex,
    providers: frozenset[str] = frozenset(),
) -> tuple[ProposedService, ...]:
    """Return products named in scan[start:end] that the catalogue does not hold.

    `known` are the catalogue services already found there; a proposal never repeats one.
    `providers` (from `document_providers`) lets ambiguous names such as "Actions" through.
    """
    proposals: list[ProposedService] = []
    seen = {name.casefold() for name in known}

    def add(proposal: ProposedService, written: str) -> None:
        if matcher.knows(proposal.name) or matcher.knows(written):
            return
        key = proposal.name.casefold()
        if key in seen:
            return
        seen.add(key)
        proposals.append(proposal)

    for match in _FAST_VOCABULARY.finditer(scan, words, start, end):
        written = " ".join(match.group(0).split())
        product = _BY_LABEL[written]
        if written in _AMBIGUOUS and product.provider not in providers:
            continue
        add(product, written)
    if language == "en":
        for match in _FAST_PROVIDER_PHRASE.finditer(scan, words, start, end):
            words = match.group("phrase").split()
            while words and (words[-1] in _NOT_PRODUCT_WORDS or _looks_like_code(words[-1])):
                words.pop()
            if not words or words[0] in _NOT_PRODUCT_WORDS or _looks_like_code(words[0]):
                continue
            if any(word in _NOT_PRODUCT_WORDS for word in words):
                words = words[: next(i for i, w in enumerate(words) if w in _NOT_PRODUCT_WORDS)]
            if not words:
                continue
            provider_word = match.group("provider")
            phrase = " ".join(words)
            known_product = _BY_LABEL.get(f"{provider_word} {phrase}") or _BY_LABEL.get(phrase)
            if known_product is not None:
                add(known_product, phrase)
            else:
                add(
                    ProposedService(f"{provider_word} {phrase}", _PROVIDER_WORDS[provider_word]),
                    phrase,
                )
    return tuple(proposals)


def _looks_like_code(word: str) -> bool:
    """Return True for region and ticket codes ("US-EAST-1", "SEV1"): not product names."""
    return bool(re.fullmatch(r"[A-Z]{2,}(?:-[A-Z0-9]+)+|[A-Z]+\d+|\d+", word))
