"""The demo knowledge base: the AWS us-east-1 outages of 20 October 2025 and 7 December 2021.

Everything here is built from public facts: AWS's own post-event summaries and status
updates (times as AWS stated them, in Pacific time, converted to UTC below), public
reporting on which customer apps failed, and a German news article that mixes the two
incidents up. Where public reporting gives only a rough time (customer apps), the event or
impact says so with an "approximate" precision or a note.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent / "demo_data"
GERMAN_ARTICLE = (DEMO_DIR / "aws-us-east-1-outage-de.txt").read_text(encoding="utf-8")


def utc(value: str) -> datetime:
    """Return ``"YYYY-MM-DD HH:MM"`` as an aware UTC datetime."""
    return datetime.strptime(value, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)


@dataclass(frozen=True)
class DemoService:
    name: str
    provider: str
    category: str
    aliases: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class DemoSource:
    key: str
    title: str
    publisher: str
    language: str
    text: str
    url: str = ""
    published_at: datetime | None = None


@dataclass(frozen=True)
class DemoImpact:
    service: str
    level: str
    role: str
    started_at: datetime
    ended_at: datetime | None
    note: str = ""


@dataclass(frozen=True)
class DemoEvent:
    at: datetime
    kind: str
    title: str
    services: tuple[str, ...]
    source: str
    quote: str
    source_timezone: str = "America/Los_Angeles"
    precision: str = "minute"
    description: str = ""
    review_state: str = "accepted"
    review_note: str = ""


@dataclass(frozen=True)
class DemoActionItem:
    title: str
    owner: str
    priority: str
    status: str
    due_date: str | None = None
    public: bool = False


@dataclass(frozen=True)
class DemoIncident:
    slug: str
    title: str
    summary: str
    provider: str
    regions: tuple[str, ...]
    severity: int
    status: str
    started_at: datetime
    detected_at: datetime | None
    mitigated_at: datetime | None
    resolved_at: datetime | None
    root_cause_category: str
    tags: tuple[str, ...]
    sources: tuple[str, ...]
    impacts: tuple[DemoImpact, ...]
    events: tuple[DemoEvent, ...]
    action_items: tuple[DemoActionItem, ...] = ()
    postmortem: str = ""
    postmortem_status: str = "draft"
    extra: dict[str, str] = field(default_factory=dict)


AWS = "AWS"

SERVICES: tuple[DemoService, ...] = (
    DemoService(
        "DynamoDB DNS automation",
        AWS,
        "automation",
        ("DNS Planner", "DNS Enactor", "DNS management system"),
        "The system that plans DynamoDB's endpoint DNS records and enacts them in Route 53.",
    ),
    DemoService("Route 53", AWS, "dns", ("Amazon Route 53", "Route53"), "AWS's DNS service."),
    DemoService(
        "DynamoDB",
        AWS,
        "database",
        ("Amazon DynamoDB", "DDB", "dynamodb.us-east-1.amazonaws.com"),
        "Managed key-value database; many AWS control planes keep their state in it.",
    ),
    DemoService(
        "EC2 instance launches",
        AWS,
        "compute",
        ("DropletWorkflow Manager", "DWFM", "instance launches"),
        "The EC2 subsystem that leases physical hosts (droplets) for new instances.",
    ),
    DemoService(
        "EC2",
        AWS,
        "compute",
        ("Amazon EC2", "Elastic Compute Cloud", "EC2-Instanz", "EC2-Instanzen"),
        "Virtual machines and their APIs.",
    ),
    DemoService(
        "Network Load Balancer",
        AWS,
        "load_balancing",
        ("NLB", "Load Balancer", "Elastic Load Balancing"),
        "Layer-4 load balancers; their health checks follow EC2's network state.",
    ),
    DemoService("Lambda", AWS, "serverless", ("AWS Lambda",), "Serverless functions."),
    DemoService("ECS", AWS, "containers", ("Amazon ECS", "Elastic Container Service")),
    DemoService("EKS", AWS, "containers", ("Amazon EKS", "Elastic Kubernetes Service")),
    DemoService("Fargate", AWS, "containers", ("AWS Fargate",)),
    DemoService("IAM", AWS, "identity", ("AWS IAM", "Identity and Access Management")),
    DemoService("STS", AWS, "identity", ("AWS STS", "Security Token Service")),
    DemoService("CloudWatch", AWS, "monitoring", ("Amazon CloudWatch",)),
    DemoService("AWS Support Center", AWS, "support", ("Support Center", "AWS Support")),
    DemoService("API Gateway", AWS, "network", ("Amazon API Gateway",)),
    DemoService("EventBridge", AWS, "serverless", ("Amazon EventBridge",)),
    DemoService("Amazon Connect", AWS, "other", ("Connect",), "Contact-centre service."),
    DemoService(
        "AWS internal network",
        AWS,
        "network",
        ("internal network",),
        "The network that hosts AWS's own foundational services, apart from the main AWS network.",
    ),
    DemoService("Slack", "Salesforce", "customer_app"),
    DemoService("Atlassian", "Atlassian", "customer_app", ("Jira", "Confluence")),
    DemoService("Snapchat", "Snap Inc.", "customer_app", ("Snap",)),
    DemoService("Starbucks app", "Starbucks", "customer_app", ("Starbucks",)),
    DemoService(
        "Banking apps",
        "Various banks",
        "customer_app",
        ("Bankanwendungen", "banking apps", "Lloyds", "Halifax"),
        "Retail banking apps whose logins and payments run on AWS.",
    ),
    DemoService("Fortnite", "Epic Games", "customer_app"),
    DemoService("Roblox", "Roblox", "customer_app"),
    DemoService("Signal", "Signal Foundation", "customer_app"),
    DemoService("Venmo", "PayPal", "customer_app"),
    DemoService("Ring", "Amazon", "customer_app", ("Ring doorbells",)),
    DemoService("Disney+", "Disney", "customer_app", ("Disney Plus",)),
)

# (downstream, upstream, kind, note): failure flows from upstream to downstream.
DEPENDENCIES: tuple[tuple[str, str, str, str], ...] = (
    (
        "DynamoDB",
        "DynamoDB DNS automation",
        "hard",
        "The automation writes the regional endpoint's records.",
    ),
    ("DynamoDB", "Route 53", "hard", "The endpoint's DNS record is served by Route 53."),
    ("EC2 instance launches", "DynamoDB", "hard", "DWFM keeps its droplet leases in DynamoDB."),
    ("EC2", "EC2 instance launches", "soft", "Running instances carry on; new launches fail."),
    ("EC2", "AWS internal network", "hard", "EC2's control plane runs on the internal network."),
    (
        "Network Load Balancer",
        "EC2 instance launches",
        "hard",
        "Health checks see new instances without network state.",
    ),
    ("Lambda", "DynamoDB", "hard", "Function metadata and event source mappings."),
    ("Lambda", "EC2 instance launches", "soft", "New execution environments need capacity."),
    ("ECS", "EC2 instance launches", "hard", ""),
    ("EKS", "EC2 instance launches", "hard", ""),
    ("Fargate", "EC2 instance launches", "hard", ""),
    ("ECS", "AWS internal network", "hard", ""),
    ("Fargate", "AWS internal network", "hard", ""),
    ("STS", "DynamoDB", "hard", ""),
    ("STS", "AWS internal network", "hard", ""),
    ("IAM", "STS", "soft", "Console sign-in needs tokens."),
    ("CloudWatch", "DynamoDB", "soft", ""),
    ("CloudWatch", "AWS internal network", "hard", "Monitoring data crosses the internal network."),
    ("AWS Support Center", "DynamoDB", "hard", ""),
    ("AWS Support Center", "AWS internal network", "hard", ""),
    ("API Gateway", "Lambda", "soft", ""),
    ("API Gateway", "AWS internal network", "hard", ""),
    ("EventBridge", "DynamoDB", "soft", ""),
    ("EventBridge", "AWS internal network", "hard", ""),
    ("Amazon Connect", "AWS internal network", "hard", ""),
    ("Slack", "EC2", "hard", ""),
    ("Slack", "DynamoDB", "soft", ""),
    ("Atlassian", "EC2", "hard", ""),
    ("Atlassian", "Network Load Balancer", "hard", ""),
    ("Snapchat", "DynamoDB", "hard", ""),
    ("Starbucks app", "Lambda", "hard", ""),
    ("Starbucks app", "DynamoDB", "hard", ""),
    ("Banking apps", "EC2", "hard", ""),
    ("Banking apps", "Network Load Balancer", "hard", ""),
    ("Fortnite", "EC2", "hard", ""),
    ("Fortnite", "DynamoDB", "soft", ""),
    ("Roblox", "EC2", "hard", ""),
    ("Signal", "DynamoDB", "hard", ""),
    ("Venmo", "DynamoDB", "hard", ""),
    ("Venmo", "API Gateway", "hard", ""),
    ("Ring", "EC2", "hard", ""),
    ("Ring", "API Gateway", "hard", ""),
    ("Disney+", "EC2", "hard", ""),
)

AWS_SUMMARY_2025 = """\
Summary of the Amazon DynamoDB service disruption in the Northern Virginia (us-east-1) Region
(Excerpts as recorded by the incident team from AWS's public post-event summary; times in PDT.)

Between 11:48 PM PDT on October 19 and 2:40 AM PDT on October 20, customers experienced increased Amazon DynamoDB API error rates in the N. Virginia (us-east-1) Region.
The incident was triggered by a latent race condition in the DynamoDB DNS management system that resulted in an incorrect empty DNS record for the service's regional endpoint (dynamodb.us-east-1.amazonaws.com) that the automation failed to repair.
By 12:38 AM PDT, engineers had identified DynamoDB's DNS state as the source of the outage.
By 1:15 AM PDT, temporary mitigations enabled some internal services to connect to DynamoDB.
At 2:25 AM PDT, all DNS information was restored, and DynamoDB recovered by 2:40 AM PDT as cached DNS records expired.
Between 11:48 PM PDT on October 19 and 1:50 PM PDT on October 20, customers experienced increased EC2 API error rates, latencies, and instance launch failures.
Between 11:51 PM PDT on October 19 and 2:15 PM PDT on October 20, customers experienced Lambda API errors and invocation latencies.
Between 5:30 AM PDT and 2:09 PM PDT on October 20, some customers experienced increased connection errors on their Network Load Balancers.
At 9:36 AM PDT, engineers disabled automatic health check failovers for NLB, allowing all available in-service NLB nodes and backend targets to be brought back into service.
"""

AWS_HEALTH_2025 = """\
AWS Health Dashboard: Operational issue, multiple services, N. Virginia (us-east-1)
(Excerpts as recorded by the incident team; times in PDT.)

Oct 20 12:11 AM PDT We are investigating increased error rates and latencies for multiple AWS services in the US-EAST-1 Region.
Oct 20 2:01 AM PDT We have identified a potential root cause for error rates for the DynamoDB APIs in the US-EAST-1 Region. Based on our investigation, the issue appears to be related to DNS resolution of the DynamoDB API endpoint in US-EAST-1.
Oct 20 3:35 AM PDT The underlying DNS issue has been fully mitigated, and most AWS Service operations are succeeding normally now.
Oct 20 3:53 PM PDT By 3:01 PM, all AWS services returned to normal operations.
"""

TEAM_NOTES_2025 = """\
Customer impact notes, 20 October 2025 (compiled by the incident team from public outage reports; times approximate, UTC)

From about 07:00 UTC, users of Slack, Atlassian, Snapchat, Fortnite, Roblox, Signal and Venmo reported errors and failed logins.
Around 07:10 UTC the Starbucks app stopped taking mobile orders, and banking apps such as Lloyds and Halifax failed logins and payments from about 07:15 UTC.
Most customer apps recovered between 09:50 and 10:30 UTC, after DynamoDB came back.
"""

AWS_SUMMARY_2021 = """\
Summary of the AWS Service Event in the Northern Virginia (US-EAST-1) Region, December 7, 2021
(Excerpts as recorded by the incident team from AWS's public summary; times in PST.)

At 7:30 AM PST, an automated activity to scale capacity of one of the AWS services hosted in the main AWS network triggered an unexpected behavior from a large number of clients inside the internal network.
This resulted in a large surge of connection activity that overwhelmed the networking devices between the internal network and the main AWS network, resulting in delays for communication between these networks.
The congestion immediately impacted the availability of real-time monitoring data for our internal operations teams, which impaired their ability to find the source of congestion.
At 9:28 AM PST, operators completed moving internal DNS traffic away from the congested network paths, and DNS resolution errors fully recovered.
By 1:34 PM PST, congestion had significantly improved, and by 2:22 PM PST the network devices had fully recovered.
"""

SOURCES: tuple[DemoSource, ...] = (
    DemoSource(
        key="de-article",
        title="Wenn DNS-Ausfälle durch Cloud-Infrastruktur kaskadieren",
        publisher="German tech news article (pasted)",
        language="de",
        text=GERMAN_ARTICLE,
    ),
    DemoSource(
        key="aws-summary-2025",
        title="AWS service disruptions: outage update and post-event summary",
        publisher="Amazon",
        language="en",
        text=AWS_SUMMARY_2025,
        url="https://www.aboutamazon.com/news/aws/aws-service-disruptions-outage-update",
        published_at=utc("2025-10-23 00:00"),
    ),
    DemoSource(
        key="aws-health-2025",
        title="AWS Health Dashboard: multiple services operational issue (us-east-1)",
        publisher="AWS",
        language="en",
        text=AWS_HEALTH_2025,
        url=(
            "https://health.aws.amazon.com/health/status?eventID=arn:aws:health:us-east-1::event/"
            "MULTIPLE_SERVICES/AWS_MULTIPLE_SERVICES_OPERATIONAL_ISSUE/"
            "AWS_MULTIPLE_SERVICES_OPERATIONAL_ISSUE_BA540_514A652BE1A"
        ),
    ),
    DemoSource(
        key="team-notes-2025",
        title="Customer impact notes, 20 October 2025",
        publisher="Incident team",
        language="en",
        text=TEAM_NOTES_2025,
    ),
    DemoSource(
        key="aws-summary-2021",
        title="Summary of the AWS Service Event in the Northern Virginia (US-EAST-1) Region",
        publisher="AWS",
        language="en",
        text=AWS_SUMMARY_2021,
        url="https://aws.amazon.com/message/12721/",
        published_at=utc("2021-12-10 00:00"),
    ),
)

LA = "America/Los_Angeles"

POSTMORTEM_2025 = """\
# Postmortem: AWS us-east-1 DynamoDB DNS failure, 20 October 2025

*Status: draft. Blameless. Times in UTC.*

## Summary

For almost three hours DynamoDB's regional endpoint in us-east-1 had **no DNS record**. A latent
race between two parts of DynamoDB's DNS automation applied a stale plan and then deleted it,
leaving `dynamodb.us-east-1.amazonaws.com` empty. Everything that reaches DynamoDB by name
failed: EC2's host-lease manager, Lambda, STS, Support, and through them thousands of customer
apps. DNS was repaired at 09:25, DynamoDB recovered by 09:40, but EC2 launches and Network Load
Balancers stayed impaired until the evening; AWS declared full recovery at 22:01.

## Impact

- DynamoDB API requests in us-east-1 failed from 06:48 to 09:40 (2h 52m).
- New EC2 instances could not launch until 20:50; NLB connection errors from 12:30 to 21:09.
- Customer apps (Slack, Atlassian, Snapchat, Fortnite, Roblox, Signal, Venmo, banking apps)
  were down or degraded for about three hours.

## Timeline

See the cascade timeline; key moments:

| UTC | What happened |
| --- | --- |
| 06:48 | DNS record emptied; DynamoDB errors begin |
| 07:11 | First public status update |
| 07:38 | DynamoDB DNS state identified as the source |
| 09:25 | DNS records restored |
| 09:35 | Services reported restored (German article) |
| 22:01 | All AWS services back to normal |

## Root cause

A race condition in the DNS Enactor: a delayed enactor applied an old plan after a newer one,
and the clean-up of old plans then deleted the plan in use, emptying the record.

## Trigger

Unusually high delays in one DNS Enactor while another raced ahead.

## Detection

Error-rate alarms on DynamoDB's API; first customer-facing update at 07:11.

## Resolution

Manual restoration of the DNS records; throttling of EC2 launches while DWFM re-established
leases; disabling NLB's automatic health-check failover at 16:36.

## What went well

- Root cause located within an hour of the trigger.

## What went wrong

- The automation could not repair its own inconsistent state.
- Recovery of EC2 suffered congestive collapse from the backlog of leases.

## Where we got lucky

- The DNS failure was limited to one region.

## Action items

See the action items of this incident.

## Lessons learned

A single DNS record was a dependency of nearly every control plane in the region.
"""

INCIDENTS: tuple[DemoIncident, ...] = (
    DemoIncident(
        slug="aws-us-east-1-dynamodb-dns-2025-10-20",
        title="AWS us-east-1: DynamoDB DNS record emptied, cascading outage",
        summary=(
            "A race condition in DynamoDB's DNS automation left the regional endpoint "
            "dynamodb.us-east-1.amazonaws.com with an empty DNS record. DynamoDB failed, and with "
            "it EC2 instance launches, Network Load Balancers, Lambda, STS and thousands of "
            "customer apps. DNS was restored at 09:25 UTC and services recovered from 09:35 UTC; "
            "the EC2 and load balancer aftermath lasted until 22:01 UTC."
        ),
        provider=AWS,
        regions=("us-east-1",),
        severity=1,
        status="resolved",
        started_at=utc("2025-10-20 06:48"),
        detected_at=utc("2025-10-20 07:11"),
        mitigated_at=utc("2025-10-20 09:25"),
        resolved_at=utc("2025-10-20 22:01"),
        root_cause_category="dns",
        tags=("dns", "race-condition", "automation", "control-plane"),
        sources=("de-article", "aws-summary-2025", "aws-health-2025", "team-notes-2025"),
        impacts=(
            DemoImpact(
                "DynamoDB DNS automation",
                "outage",
                "origin",
                utc("2025-10-20 06:48"),
                utc("2025-10-20 09:25"),
                "Stale plan applied, record emptied.",
            ),
            DemoImpact(
                "DynamoDB", "outage", "origin", utc("2025-10-20 06:48"), utc("2025-10-20 09:40")
            ),
            DemoImpact(
                "EC2 instance launches",
                "outage",
                "cascaded",
                utc("2025-10-20 06:48"),
                utc("2025-10-20 20:50"),
            ),
            DemoImpact(
                "EC2",
                "degraded",
                "cascaded",
                utc("2025-10-20 06:48"),
                utc("2025-10-20 20:50"),
                "API errors and latency; running instances unaffected.",
            ),
            DemoImpact(
                "Lambda", "degraded", "cascaded", utc("2025-10-20 06:51"), utc("2025-10-20 21:15")
            ),
            DemoImpact(
                "STS",
                "degraded",
                "cascaded",
                utc("2025-10-20 06:51"),
                utc("2025-10-20 09:59"),
                "Approximate.",
            ),
            DemoImpact(
                "AWS Support Center",
                "outage",
                "cascaded",
                utc("2025-10-20 06:48"),
                utc("2025-10-20 09:40"),
                "Approximate.",
            ),
            DemoImpact(
                "Network Load Balancer",
                "degraded",
                "cascaded",
                utc("2025-10-20 12:30"),
                utc("2025-10-20 21:09"),
            ),
            DemoImpact(
                "Slack",
                "degraded",
                "customer_facing",
                utc("2025-10-20 07:00"),
                utc("2025-10-20 10:00"),
                "Approximate, from public outage reports.",
            ),
            DemoImpact(
                "Atlassian",
                "degraded",
                "customer_facing",
                utc("2025-10-20 07:00"),
                utc("2025-10-20 10:30"),
                "Approximate, from public outage reports.",
            ),
            DemoImpact(
                "Snapchat",
                "outage",
                "customer_facing",
                utc("2025-10-20 07:00"),
                utc("2025-10-20 10:00"),
                "Approximate, from public outage reports.",
            ),
            DemoImpact(
                "Fortnite",
                "outage",
                "customer_facing",
                utc("2025-10-20 07:00"),
                utc("2025-10-20 10:15"),
                "Approximate, from public outage reports.",
            ),
            DemoImpact(
                "Roblox",
                "outage",
                "customer_facing",
                utc("2025-10-20 07:00"),
                utc("2025-10-20 10:15"),
                "Approximate, from public outage reports.",
            ),
            DemoImpact(
                "Signal",
                "outage",
                "customer_facing",
                utc("2025-10-20 07:00"),
                utc("2025-10-20 09:50"),
                "Approximate, from public outage reports.",
            ),
            DemoImpact(
                "Venmo",
                "outage",
                "customer_facing",
                utc("2025-10-20 07:00"),
                utc("2025-10-20 10:00"),
                "Approximate, from public outage reports.",
            ),
            DemoImpact(
                "Starbucks app",
                "outage",
                "customer_facing",
                utc("2025-10-20 07:10"),
                utc("2025-10-20 10:00"),
                "Approximate, from public outage reports.",
            ),
            DemoImpact(
                "Banking apps",
                "outage",
                "customer_facing",
                utc("2025-10-20 07:15"),
                utc("2025-10-20 10:30"),
                "Approximate, from public outage reports.",
            ),
        ),
        events=(
            DemoEvent(
                utc("2025-10-20 06:48"),
                "trigger",
                "DNS record for dynamodb.us-east-1.amazonaws.com left empty",
                ("DynamoDB DNS automation", "DynamoDB"),
                "aws-summary-2025",
                "The incident was triggered by a latent race condition in the DynamoDB DNS management system that resulted in an incorrect empty DNS record for the service's regional endpoint (dynamodb.us-east-1.amazonaws.com) that the automation failed to repair.",
            ),
            DemoEvent(
                utc("2025-10-20 06:48"),
                "impact",
                "DynamoDB API error rates rise",
                ("DynamoDB",),
                "aws-summary-2025",
                "Between 11:48 PM PDT on October 19 and 2:40 AM PDT on October 20, customers experienced increased Amazon DynamoDB API error rates in the N. Virginia (us-east-1) Region.",
            ),
            DemoEvent(
                utc("2025-10-20 06:48"),
                "impact",
                "EC2 API errors and instance launch failures begin",
                ("EC2", "EC2 instance launches"),
                "aws-summary-2025",
                "Between 11:48 PM PDT on October 19 and 1:50 PM PDT on October 20, customers experienced increased EC2 API error rates, latencies, and instance launch failures.",
            ),
            DemoEvent(
                utc("2025-10-20 06:51"),
                "impact",
                "Lambda API errors and invocation latency",
                ("Lambda",),
                "aws-summary-2025",
                "Between 11:51 PM PDT on October 19 and 2:15 PM PDT on October 20, customers experienced Lambda API errors and invocation latencies.",
            ),
            DemoEvent(
                utc("2025-10-20 07:00"),
                "impact",
                "Customer apps fail: Slack, Atlassian, Snapchat, Fortnite, Roblox, Signal, Venmo",
                ("Slack", "Atlassian", "Snapchat", "Fortnite", "Roblox", "Signal", "Venmo"),
                "team-notes-2025",
                "From about 07:00 UTC, users of Slack, Atlassian, Snapchat, Fortnite, Roblox, Signal and Venmo reported errors and failed logins.",
                source_timezone="UTC",
                precision="approximate",
            ),
            DemoEvent(
                utc("2025-10-20 07:11"),
                "detection",
                "AWS acknowledges increased error rates in us-east-1",
                ("DynamoDB", "EC2", "Lambda"),
                "aws-health-2025",
                "Oct 20 12:11 AM PDT We are investigating increased error rates and latencies for multiple AWS services in the US-EAST-1 Region.",
            ),
            DemoEvent(
                utc("2025-10-20 07:15"),
                "impact",
                "Starbucks app and banking apps fail",
                ("Starbucks app", "Banking apps"),
                "team-notes-2025",
                "Around 07:10 UTC the Starbucks app stopped taking mobile orders, and banking apps such as Lloyds and Halifax failed logins and payments from about 07:15 UTC.",
                source_timezone="UTC",
                precision="approximate",
            ),
            DemoEvent(
                utc("2025-10-20 07:38"),
                "escalation",
                "DynamoDB's DNS state identified as the source",
                ("DynamoDB", "DynamoDB DNS automation"),
                "aws-summary-2025",
                "By 12:38 AM PDT, engineers had identified DynamoDB's DNS state as the source of the outage.",
            ),
            DemoEvent(
                utc("2025-10-20 08:15"),
                "mitigation",
                "Temporary mitigations let internal services reach DynamoDB",
                ("DynamoDB",),
                "aws-summary-2025",
                "By 1:15 AM PDT, temporary mitigations enabled some internal services to connect to DynamoDB.",
            ),
            DemoEvent(
                utc("2025-10-20 09:01"),
                "communication",
                "Status update names DNS resolution of the DynamoDB endpoint",
                ("DynamoDB",),
                "aws-health-2025",
                "Oct 20 2:01 AM PDT We have identified a potential root cause for error rates for the DynamoDB APIs in the US-EAST-1 Region.",
            ),
            DemoEvent(
                utc("2025-10-20 09:25"),
                "mitigation",
                "DynamoDB DNS records restored",
                ("DynamoDB DNS automation", "Route 53", "DynamoDB"),
                "aws-summary-2025",
                "At 2:25 AM PDT, all DNS information was restored, and DynamoDB recovered by 2:40 AM PDT as cached DNS records expired.",
            ),
            DemoEvent(
                utc("2025-10-20 09:35"),
                "recovery",
                "Services restored (as the German article reports)",
                ("DynamoDB",),
                "de-article",
                "Diese Interventionsstrategien, die Echtzeitanalyse und praktische Korrekturen erforderten, stellten die Dienste schließlich um 09:35 UTC wieder her.",
                source_timezone="UTC",
            ),
            DemoEvent(
                utc("2025-10-20 09:40"),
                "recovery",
                "DynamoDB recovered as cached DNS records expired",
                ("DynamoDB",),
                "aws-summary-2025",
                "At 2:25 AM PDT, all DNS information was restored, and DynamoDB recovered by 2:40 AM PDT as cached DNS records expired.",
            ),
            DemoEvent(
                utc("2025-10-20 10:30"),
                "recovery",
                "Most customer apps back",
                (
                    "Slack",
                    "Atlassian",
                    "Snapchat",
                    "Fortnite",
                    "Roblox",
                    "Signal",
                    "Venmo",
                    "Starbucks app",
                    "Banking apps",
                ),
                "team-notes-2025",
                "Most customer apps recovered between 09:50 and 10:30 UTC, after DynamoDB came back.",
                source_timezone="UTC",
                precision="approximate",
            ),
            DemoEvent(
                utc("2025-10-20 10:35"),
                "communication",
                "AWS: the underlying DNS issue is fully mitigated",
                ("DynamoDB",),
                "aws-health-2025",
                "Oct 20 3:35 AM PDT The underlying DNS issue has been fully mitigated, and most AWS Service operations are succeeding normally now.",
            ),
            DemoEvent(
                utc("2025-10-20 12:30"),
                "impact",
                "Network Load Balancer connection errors begin",
                ("Network Load Balancer",),
                "aws-summary-2025",
                "Between 5:30 AM PDT and 2:09 PM PDT on October 20, some customers experienced increased connection errors on their Network Load Balancers.",
            ),
            DemoEvent(
                utc("2025-10-20 16:36"),
                "mitigation",
                "Automatic NLB health-check failover disabled",
                ("Network Load Balancer",),
                "aws-summary-2025",
                "At 9:36 AM PDT, engineers disabled automatic health check failovers for NLB, allowing all available in-service NLB nodes and backend targets to be brought back into service.",
            ),
            DemoEvent(
                utc("2025-10-20 20:50"),
                "recovery",
                "EC2 API and instance launches fully recovered",
                ("EC2", "EC2 instance launches"),
                "aws-summary-2025",
                "Between 11:48 PM PDT on October 19 and 1:50 PM PDT on October 20, customers experienced increased EC2 API error rates, latencies, and instance launch failures.",
            ),
            DemoEvent(
                utc("2025-10-20 21:09"),
                "recovery",
                "Network Load Balancer connection errors end",
                ("Network Load Balancer",),
                "aws-summary-2025",
                "Between 5:30 AM PDT and 2:09 PM PDT on October 20, some customers experienced increased connection errors on their Network Load Balancers.",
            ),
            DemoEvent(
                utc("2025-10-20 21:15"),
                "recovery",
                "Lambda recovered",
                ("Lambda",),
                "aws-summary-2025",
                "Between 11:51 PM PDT on October 19 and 2:15 PM PDT on October 20, customers experienced Lambda API errors and invocation latencies.",
            ),
            DemoEvent(
                utc("2025-10-20 22:01"),
                "recovery",
                "All AWS services returned to normal operations",
                (),
                "aws-health-2025",
                "Oct 20 3:53 PM PDT By 3:01 PM, all AWS services returned to normal operations.",
            ),
            DemoEvent(
                utc("2021-12-07 11:35"),
                "trigger",
                "Article dates the DynamoDB DNS failure to 7 December 2021, 12:35",
                ("DynamoDB",),
                "de-article",
                "Am 7. Dezember 2021 um 12:35 Uhr demonstrierte das, was als einfacher DNS-Auflösungsfehler in der DynamoDB US-EAST-1 Region begann, schnell, wie gründlich ein Datenbankdienst ein gesamtes Cloud-Imperium zum Einsturz bringen konnte, ähnlich wie das Herausziehen des falschen Jenga-Blocks aus einem Turm, von dem alle annahmen, er stehe auf festem Grund.",
                source_timezone="Europe/Berlin",
                review_state="rejected",
                review_note=(
                    "The article mixes in the 7 December 2021 us-east-1 network event; its 12:35 start "
                    "(no zone given, read as German time) contradicts the 06:48 UTC start on 20 October 2025."
                ),
            ),
        ),
        action_items=(
            DemoActionItem(
                "Guard the DNS Enactor against applying plans older than the one in use",
                "dns-automation team",
                "p1",
                "done",
                "2025-11-15",
                public=True,
            ),
            DemoActionItem(
                "Rate-limit capacity removed by NLB health-check failover",
                "elb team",
                "p2",
                "in_progress",
                "2025-12-15",
                public=True,
            ),
            DemoActionItem(
                "Load-test DWFM lease recovery after a long DynamoDB outage",
                "ec2 team",
                "p2",
                "open",
                "2026-01-31",
            ),
            DemoActionItem(
                "Run a regional failover drill for our tier-1 services",
                "platform team",
                "p2",
                "open",
                "2025-12-01",
                public=True,
            ),
        ),
        postmortem=POSTMORTEM_2025,
    ),
    DemoIncident(
        slug="aws-us-east-1-network-congestion-2021-12-07",
        title="AWS us-east-1: internal network congestion impairs control planes",
        summary=(
            "An automated capacity-scaling activity triggered a surge of connections inside "
            "AWS's internal network, overwhelming the devices between it and the main AWS network. "
            "EC2 APIs, STS, API Gateway, Fargate, EventBridge, Connect and AWS's own monitoring "
            "and support tooling were impaired for about seven hours."
        ),
        provider=AWS,
        regions=("us-east-1",),
        severity=1,
        status="resolved",
        started_at=utc("2021-12-07 15:30"),
        detected_at=utc("2021-12-07 15:30"),
        mitigated_at=utc("2021-12-07 17:28"),
        resolved_at=utc("2021-12-07 22:22"),
        root_cause_category="network",
        tags=("network", "automation", "control-plane"),
        sources=("aws-summary-2021", "de-article"),
        impacts=(
            DemoImpact(
                "AWS internal network",
                "outage",
                "origin",
                utc("2021-12-07 15:30"),
                utc("2021-12-07 22:22"),
            ),
            DemoImpact(
                "EC2",
                "degraded",
                "cascaded",
                utc("2021-12-07 15:30"),
                utc("2021-12-07 22:22"),
                "APIs and launches impaired; running instances unaffected.",
            ),
            DemoImpact(
                "CloudWatch",
                "degraded",
                "cascaded",
                utc("2021-12-07 15:30"),
                utc("2021-12-07 22:22"),
            ),
            DemoImpact(
                "STS",
                "degraded",
                "cascaded",
                utc("2021-12-07 15:35"),
                utc("2021-12-07 22:22"),
                "Approximate.",
            ),
            DemoImpact(
                "API Gateway",
                "degraded",
                "cascaded",
                utc("2021-12-07 15:35"),
                utc("2021-12-07 22:22"),
                "Approximate.",
            ),
            DemoImpact(
                "Fargate",
                "degraded",
                "cascaded",
                utc("2021-12-07 15:35"),
                utc("2021-12-07 22:22"),
                "Approximate.",
            ),
            DemoImpact(
                "EventBridge",
                "degraded",
                "cascaded",
                utc("2021-12-07 15:35"),
                utc("2021-12-07 22:22"),
                "Approximate.",
            ),
            DemoImpact(
                "Amazon Connect",
                "degraded",
                "cascaded",
                utc("2021-12-07 15:35"),
                utc("2021-12-07 22:22"),
                "Approximate.",
            ),
            DemoImpact(
                "AWS Support Center",
                "outage",
                "cascaded",
                utc("2021-12-07 15:35"),
                utc("2021-12-07 22:22"),
                "Approximate.",
            ),
            DemoImpact(
                "Ring",
                "outage",
                "customer_facing",
                utc("2021-12-07 15:45"),
                utc("2021-12-07 22:30"),
                "Approximate, from public outage reports.",
            ),
            DemoImpact(
                "Venmo",
                "outage",
                "customer_facing",
                utc("2021-12-07 15:45"),
                utc("2021-12-07 22:30"),
                "Approximate, from public outage reports.",
            ),
            DemoImpact(
                "Disney+",
                "degraded",
                "customer_facing",
                utc("2021-12-07 15:45"),
                utc("2021-12-07 22:30"),
                "Approximate, from public outage reports.",
            ),
        ),
        events=(
            DemoEvent(
                utc("2021-12-07 15:30"),
                "trigger",
                "Automated capacity scaling triggers a connection surge",
                ("AWS internal network",),
                "aws-summary-2021",
                "At 7:30 AM PST, an automated activity to scale capacity of one of the AWS services hosted in the main AWS network triggered an unexpected behavior from a large number of clients inside the internal network.",
            ),
            DemoEvent(
                utc("2021-12-07 15:30"),
                "impact",
                "Internal network devices overwhelmed; monitoring blind",
                ("AWS internal network", "CloudWatch"),
                "aws-summary-2021",
                "The congestion immediately impacted the availability of real-time monitoring data for our internal operations teams, which impaired their ability to find the source of congestion.",
            ),
            DemoEvent(
                utc("2021-12-07 17:28"),
                "mitigation",
                "Internal DNS moved off congested paths; DNS errors recover",
                ("AWS internal network",),
                "aws-summary-2021",
                "At 9:28 AM PST, operators completed moving internal DNS traffic away from the congested network paths, and DNS resolution errors fully recovered.",
            ),
            DemoEvent(
                utc("2021-12-07 21:34"),
                "mitigation",
                "Congestion significantly improved",
                ("AWS internal network",),
                "aws-summary-2021",
                "By 1:34 PM PST, congestion had significantly improved, and by 2:22 PM PST the network devices had fully recovered.",
            ),
            DemoEvent(
                utc("2021-12-07 22:22"),
                "recovery",
                "Network devices fully recovered",
                ("AWS internal network",),
                "aws-summary-2021",
                "By 1:34 PM PST, congestion had significantly improved, and by 2:22 PM PST the network devices had fully recovered.",
            ),
        ),
        action_items=(
            DemoActionItem(
                "Fix the client back-off bug behind the connection surge",
                "networking team",
                "p1",
                "done",
                "2021-12-21",
                public=True,
            ),
            DemoActionItem(
                "Make the Service Health Dashboard independent of the internal network",
                "health team",
                "p2",
                "done",
                "2022-03-31",
                public=True,
            ),
        ),
    ),
)

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo"
