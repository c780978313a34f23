"""Recorded feeds of each kind, as small as a test needs, built as the providers shape them."""

from __future__ import annotations

import json
from typing import Any

STATUSPAGE_INCIDENT_ID = "chat-2025-10-20"


def statuspage_incident(
    *,
    incident_id: str = STATUSPAGE_INCIDENT_ID,
    resolved_text: str = "All messages are delivered again.",
) -> dict[str, Any]:
    return {
        "id": incident_id,
        "name": "Messages fail to send",
        "status": "resolved",
        "impact": "major",
        "shortlink": f"https://stspg.example/{incident_id}",
        "created_at": "2025-10-20T07:05:12.000Z",
        "resolved_at": "2025-10-20T09:51:40.000Z",
        "components": [{"id": "c1", "name": "Messaging"}, {"id": "c2", "name": "Push delivery"}],
        "incident_updates": [
            {
                "id": "u4",
                "status": "resolved",
                "body": resolved_text,
                "created_at": "2025-10-20T09:51:40.000Z",
                "display_at": "2025-10-20T09:51:40.000Z",
                "affected_components": [],
            },
            {
                "id": "u3",
                "status": "monitoring",
                "body": "Our cloud provider applied a fix; we are watching delivery recover.",
                "created_at": "2025-10-20T09:33:00.000Z",
                "display_at": "2025-10-20T09:33:00.000Z",
            },
            {
                "id": "u2",
                "status": "identified",
                "body": "The failure is in our cloud provider's database service in us-east-1.",
                "created_at": "2025-10-20T07:40:27.000Z",
                "display_at": "2025-10-20T07:40:27.000Z",
            },
            {
                "id": "u1",
                "status": "investigating",
                "body": "We are investigating reports that <b>messages</b> fail to send.",
                "created_at": "2025-10-20T07:05:12.000Z",
                "display_at": "2025-10-20T07:05:12.000Z",
            },
        ],
    }


def statuspage_feed(*incidents: dict[str, Any]) -> bytes:
    body = {"page": {"id": "p1", "name": "Example Chat"}, "incidents": list(incidents)}
    return json.dumps(body).encode()


def gcp_feed() -> bytes:
    return json.dumps(
        [
            {
                "id": "gcp-1",
                "number": "123",
                "begin": "2025-06-12T17:51:00+00:00",
                "end": "2025-06-12T20:49:00+00:00",
                "external_desc": "Multiple services affected by an Identity and Access Management failure",
                "severity": "high",
                "uri": "incidents/gcp-1",
                "affected_products": [{"title": "Identity and Access Management", "id": "p1"}],
                "updates": [
                    {
                        "created": "2025-06-12T18:18:38+00:00",
                        "when": "2025-06-12T18:18:38+00:00",
                        "text": "We are investigating elevated errors across multiple products.",
                        "status": "SERVICE_OUTAGE",
                    },
                    {
                        "created": "2025-06-12T20:49:00+00:00",
                        "when": "2025-06-12T20:49:00+00:00",
                        "text": "The issue is resolved for all products.",
                        "status": "AVAILABLE",
                    },
                ],
            }
        ]
    ).encode()


STATUSPAGE_ATOM = b"""<?xml version="1.0" encoding="UTF-8"?>
<feed xml:lang="en-US" xmlns="http://www.w3.org/2005/Atom">
  <id>tag:status.example.com,2005:/history</id>
  <link rel="alternate" type="text/html" href="https://status.example.com"/>
  <title>Example Tracker Status - Incident History</title>
  <updated>2025-10-20T10:20:00Z</updated>
  <entry>
    <id>tag:status.example.com,2005:Incident/2501</id>
    <published>2025-10-20T07:18:00Z</published>
    <updated>2025-10-20T10:20:00Z</updated>
    <link rel="alternate" type="text/html" href="https://status.example.com/incidents/2501"/>
    <title>Degraded performance across products</title>
    <content type="html">&lt;p&gt;&lt;small&gt;Oct &lt;var data-var='date'&gt;20&lt;/var&gt;, &lt;var data-var='time'&gt;10:20&lt;/var&gt; UTC&lt;/small&gt;&lt;br&gt;&lt;strong&gt;Resolved&lt;/strong&gt; - Products are working normally again.&lt;/p&gt;&lt;p&gt;&lt;small&gt;Oct &lt;var data-var='date'&gt;20&lt;/var&gt;, &lt;var data-var='time'&gt;07:18&lt;/var&gt; UTC&lt;/small&gt;&lt;br&gt;&lt;strong&gt;Investigating&lt;/strong&gt; - Users cannot sign in.&lt;/p&gt;</content>
  </entry>
</feed>
"""

AWS_RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>Amazon DynamoDB (N. Virginia) Service Status</title>
    <link>https://health.aws.example/health/status</link>
    <description>Status of Amazon DynamoDB in us-east-1</description>
    <item>
      <title>Service is operating normally: [RESOLVED] Increased Error Rates</title>
      <link>https://health.aws.example/health/status</link>
      <pubDate>Mon, 20 Oct 2025 09:40:00 GMT</pubDate>
      <guid isPermaLink="false">ddb-us-east-1-1760953200</guid>
      <description>The DNS issue has been fully mitigated and DynamoDB requests succeed.</description>
    </item>
    <item>
      <title>Informational message: Increased Error Rates</title>
      <link>https://health.aws.example/health/status</link>
      <pubDate>Mon, 20 Oct 2025 07:11:00 GMT</pubDate>
      <guid isPermaLink="false">ddb-us-east-1-1760944260</guid>
      <description>We are investigating increased error rates and latencies for multiple services.</description>
    </item>
  </channel>
</rss>
"""
