"""Synthetic SIMAv4 knowledge bases for the benchmarks (and for tests that need a big KB).

`generate(root, n, seed)` writes `n` Markdown files under `root`, spread over nested folders:
entries shaped like real SIMAv4 entries (H1 = file name, the 8 header fields, `---`, Summary,
patterns with labelled blocks, prose, tables, fenced code, 5 to 10 cross-references in every
syntax, Keywords, a Location / Total Lines footer), one index per folder and a README. About
3% of the entries carry one deliberate violation. 100 to 400 lines per entry (up to 450 for
the line-limit violation). Deterministic for a given (n, seed); every word comes from the
lists below.

    python tests/benchmarks/generate.py OUT --n 1000 --seed 1
"""
from __future__ import annotations

import argparse
import posixpath
import random
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

# --- word lists ------------------------------------------------------------------------------

SUBJECTS = (
    "the handler", "a cold start", "the cache layer", "each retry", "the gateway", "a batch job",
    "the queue consumer", "the interface", "every core module", "the deployment pipeline",
    "a stream reader", "the scheduler", "a fan-out step", "the write path", "the read path",
    "an idempotency key", "the circuit breaker", "a warm container", "the dispatcher",
    "the metrics exporter", "a long poll", "the connection pool", "the config loader",
    "a nightly rebuild", "the rate limiter", "the audit trail", "a shadow deployment",
)
VERBS = (
    "reduces", "doubles", "hides", "exposes", "bounds", "delays", "absorbs", "amplifies",
    "isolates", "serialises", "spreads", "caps", "masks", "surfaces", "shortens", "stretches",
    "protects", "couples", "decouples", "batches", "replays", "throttles", "drains",
)
OBJECTS = (
    "tail latency", "the error budget", "memory pressure", "duplicate writes", "the blast radius",
    "lock contention", "partial failures", "the retry storm", "cold paths", "billing spikes",
    "stale reads", "the queue backlog", "hot partitions", "import cycles", "noisy neighbours",
    "slow dependencies", "unbounded growth", "clock skew", "payload size", "timeout margins",
    "connection churn", "schema drift", "poison messages", "runaway costs",
)
QUALIFIERS = (
    "under sustained load", "when the dependency slows down", "during a deployment",
    "for most workloads", "at the end of each batch", "once traffic doubles",
    "in the first minute after a release", "when two regions disagree", "on every invocation",
    "before the first byte is sent", "while the queue is draining", "for bursty clients",
    "when the cache is cold", "after a failover", "across every tenant",
)
CONNECTORS = (
    "In practice,", "As a result,", "However,", "Over time,", "For that reason,", "In short,",
    "On the other hand,", "Most of the time,", "Measured over a week,", "Left alone,",
)
TOPICS = (
    "ColdStart", "RetryBudget", "IdempotentWrites", "BatchWindow", "FanOut", "Backpressure",
    "CircuitBreaker", "LazyImports", "ConnectionReuse", "PayloadLimits", "TimeoutBudget",
    "DeadLetters", "PartitionKeys", "WarmPools", "CostModel", "ProcessingPatterns",
    "SchemaVersions", "FeatureFlags", "HealthChecks", "GracefulShutdown", "ShadowTraffic",
    "RateLimits", "AuditTrail", "SecretRotation", "CacheWarmup", "StreamCheckpoints",
    "OrderedDelivery", "ExactlyOnce", "BlueGreen", "CanaryRelease", "LogSampling",
    "TraceContext", "MemoryTuning", "ConcurrencyLimits", "QueueDepth", "HotKeys", "Sharding",
    "ReadReplicas", "WriteAhead", "Compaction", "Throttling", "Debouncing", "Bulkheads",
)
CATEGORIES = (
    "Core Architecture", "Performance", "Reliability", "Operations", "Security", "Cost",
    "Data Modelling", "Testing", "Observability", "Deployment", "Integration",
)
KEYWORDS = (
    "cold start", "retry budget", "idempotency", "batching", "fan-out", "backpressure",
    "circuit breaker", "lazy import", "connection reuse", "payload size", "timeouts",
    "dead letter queue", "partition key", "warm pool", "cost model", "schema version",
    "feature flag", "health check", "graceful shutdown", "rate limit", "audit log",
    "secret rotation", "cache warmup", "checkpointing", "ordering", "exactly once",
    "blue green", "canary", "sampling", "tracing", "memory tuning", "concurrency",
    "queue depth", "hot keys", "sharding", "read replicas", "compaction", "throttling",
)
SECTION_TITLES = (
    "How It Works", "The Failure Mode", "Measuring It", "Operating Limits", "Design Notes",
    "Trade-offs", "Migration Path", "Rollout Plan", "Known Limits", "Background",
    "The Cost Side", "Checks Before Release",
)
PATTERN_NAMES = (
    "Single Entry Point", "Bounded Queue", "Retry With Jitter", "Write Once Read Many",
    "Split Hot Path", "Shadow Read", "Token Bucket", "Warm Standby", "Deferred Import",
    "Fail Fast", "Cached Lookup", "Batch Flush", "Outbox Table", "Saga Step", "Fenced Lease",
    "Read Through", "Staged Rollout", "Dual Write Guard", "Bulkhead Pool", "Timeout Ladder",
)
IDENTIFIERS = (
    "cache_get", "fetch_batch", "send_event", "load_config", "write_record", "retry_call",
    "open_pool", "flush_buffer", "parse_payload", "check_health", "rotate_secret", "emit_metric",
)
TABLE_HEADS = (("Factor", "Before", "After"), ("Setting", "Default", "Recommended", "Why"),
               ("Case", "Latency", "Cost"), ("Signal", "Threshold", "Action"))
TABLE_CELLS = ("low", "high", "medium", "none", "2x", "10 ms", "250 ms", "1 s", "30 s", "4 KB",
               "256 KB", "6 MB", "on", "off", "per request", "per batch", "bounded", "unbounded")
GROUPS = ("Related Lessons", "Decisions", "Patterns", "Platform Notes", "See Also", "Background")
PRIORITIES = (("🔴", "Critical"), ("🟠", "High"), ("🟡", "Medium"), ("🟢", "Low"))
STATUSES = ("Active", "Active", "Active", "Draft", "Review", "Deprecated")
TYPE_NAMES = {
    "LESS": "Lesson Learned", "DEC": "Decision", "AP": "Anti-Pattern", "BUG": "Bug Report",
    "WISD": "Wisdom", "ARCH": "Architecture", "GATE": "Gateway", "INT": "Interface",
    "DT": "Decision Tree", "PAT": "Pattern", "RULE": "Rule", "CHK": "Checklist",
}

# Folder tree: top-level folder -> (naming scheme, second-level folders). Third level below.
TREE = {
    "aws": ("aws", ("lambda", "dynamodb", "s3", "sqs", "apigateway", "stepfunctions",
                    "eventbridge", "kinesis", "iam", "cloudwatch", "ecs", "rds")),
    "entries": ("entries", ("core", "decisions", "lessons", "anti-patterns", "gateways",
                            "interfaces", "wisdom", "bugs")),
    "languages": ("lang", ("python", "typescript", "go", "rust", "java")),
    "platforms": ("plat", ("gcp", "azure", "k8s", "edge", "hass", "cflr")),
    "projects": ("nmp", ("lee", "orb", "kite", "mesa", "fjord", "quill", "ember", "pylon")),
}
THIRD = ("general", "performance", "operations", "security", "testing", "observability",
         "deployment", "data")
SERVICE = {"lambda": "Lambda", "dynamodb": "DynamoDB", "s3": "S3", "sqs": "SQS",
           "apigateway": "APIGateway", "stepfunctions": "StepFunctions",
           "eventbridge": "EventBridge", "kinesis": "Kinesis", "iam": "IAM",
           "cloudwatch": "CloudWatch", "ecs": "ECS", "rds": "RDS"}
ENTRY_TYPE = {"core": "ARCH", "decisions": "DEC", "lessons": "LESS", "anti-patterns": "AP",
              "gateways": "GATE", "interfaces": "INT", "wisdom": "WISD", "bugs": "BUG"}
LANG = {"python": "PY", "typescript": "TS", "go": "GO", "rust": "RS", "java": "JV"}
PLATFORM = {"gcp": "GCP", "azure": "AZURE", "k8s": "K8S", "edge": "EDGE", "hass": "HASS",
            "cflr": "CFLR"}

VIOLATIONS = (
    "unresolved", "near-miss", "anchor", "unknown-refid", "bad-date", "missing-field",
    "total-lines", "location", "keywords-count", "refid-duplicate", "line-limit",
    "final-newline", "crlf", "mojibake", "fence-language", "priority-emoji", "outside-root",
    "title",
)
VIOLATION_RATE = 0.03
FILES_PER_FOLDER = 40


@dataclass
class Plan:
    """What one file will be: decided before any file is written, so others can cite it."""

    index: int
    folder: str
    name: str
    refid: str
    kind: str  # "entry" or "index"
    type_code: str
    title_words: str
    headings: list[str] = field(default_factory=list)  # planned heading texts (for anchors)
    patterns: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    target_lines: int = 200
    violation: str | None = None

    @property
    def relpath(self) -> str:
        """Path under the KB root."""
        return f"{self.folder}/{self.name}"


def slug(text: str) -> str:
    """The heading slug for the ASCII headings this generator writes."""
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


# --- planning --------------------------------------------------------------------------------


def _folders(n_folders: int, rng: random.Random) -> list[str]:
    combos = [f"{top}/{second}/{third}" for top, (_, seconds) in TREE.items() for second in seconds for third in THIRD]
    rng.shuffle(combos)
    chosen = combos[: max(1, min(len(combos), n_folders))]
    # Spread evenly over the top-level folders' order for readability of listings.
    return sorted(chosen)


def _unique_arch(rng: random.Random, used: set[str]) -> str:
    while True:
        name = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXZ") for _ in range(rng.randint(3, 5)))
        if name not in used:
            used.add(name)
            return name


def plan_kb(n: int, seed: int) -> list[Plan]:
    """Plan `n` files (entries, one index per folder, one README)."""
    rng = random.Random(f"plan:{seed}")
    n_folders = max(1, -(-n // FILES_PER_FOLDER))
    folders = _folders(n_folders, rng)
    n_indexes = len(folders) if n >= 3 * len(folders) else 0
    n_entries = n - n_indexes - 1
    counters: dict[str, int] = {}
    arch_used: set[str] = set()
    plans: list[Plan] = []
    for i in range(n_entries):
        folder = folders[i % len(folders)]
        plans.append(_plan_entry(i, folder, counters, arch_used, random.Random(f"{seed}:{i}")))
    for j, folder in enumerate(folders[:n_indexes]):
        _, second, third = folder.split("/")
        name = f"{second.title().replace('-', '')}-{third.title()}-Index.md"
        plans.append(Plan(n_entries + j, folder, name, "", "index", "", f"{second} {third} index"))
    plans.append(Plan(n - 1, "", "README.md", "", "readme", "", "knowledge base"))
    vrng = random.Random(f"violations:{seed}")
    for p in plans:
        if p.kind == "entry" and vrng.random() < VIOLATION_RATE:
            p.violation = vrng.choice(VIOLATIONS)
    for p in plans:
        if p.violation == "line-limit":
            p.target_lines = vrng.randint(405, 450)
    return plans


def _next(counters: dict[str, int], key: str) -> str:
    counters[key] = counters.get(key, 0) + 1
    return f"{counters[key]:02d}"


def _plan_entry(i: int, folder: str, counters: dict[str, int], arch_used: set[str], rng: random.Random) -> Plan:
    top, second, third = folder.split("/")
    scheme = TREE[top][0]
    topic = rng.choice(TOPICS)
    topic2 = rng.choice(TOPICS)
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", topic)
    if scheme == "aws":
        code = rng.choice(("LESS", "DT", "AP", "PAT", "WISD", "BUG"))
        svc = SERVICE[second]
        if rng.random() < 0.2:
            refid = f"AWS-{svc}-{code}-{_next(counters, f'AWS-{svc}-{code}')}"
            name = f"{refid}_{topic}.md"
        else:
            refid = f"AWS-{code}-{_next(counters, f'AWS-{code}')}"
            name = f"AWS-{svc}-{topic}_{refid}.md"
    elif scheme == "entries":
        code = ENTRY_TYPE[second]
        if code == "ARCH":
            refid = f"ARCH-{_unique_arch(rng, arch_used)}"
            title = f"{words} {re.sub(r'(?<=[a-z])(?=[A-Z])', ' ', topic2)} Architecture"
            name = f"{refid}_{title}.md" if rng.random() < 0.3 else f"{refid}_{title.replace(' ', '-')}.md"
        elif code == "DEC":
            refid = f"DEC-{_next(counters, 'DEC')}"
            name = f"{refid}.md"
        else:
            refid = f"{code}-{_next(counters, code)}"
            name = f"{refid}_{topic}-{topic2}.md"
    elif scheme == "lang":
        code = "LESS"
        refid = f"LANG-{LANG[second]}-{_next(counters, 'LANG-' + LANG[second])}"
        name = f"{refid}_{topic}.md"
    elif scheme == "plat":
        code = rng.choice(("LESS", "DEC", "PAT", "RULE", "CHK"))
        plat = PLATFORM[second]
        refid = f"{plat}-{code}-{_next(counters, f'{plat}-{code}')}"
        name = f"{plat}-{topic}_{refid}.md"
    else:
        code = "LESS"
        proj = f"{(list(TREE['projects'][1]).index(second) + 1):02d}"
        refid = f"NMP{proj}-{second.upper()}-{_next(counters, 'NMP' + second)}"
        name = f"{refid}_{topic}-{topic2}.md"
    target = int(rng.triangular(100, 395, 240))
    n_patterns = max(1, min(6, (target - 70) // 45))
    patterns = rng.sample(PATTERN_NAMES, n_patterns)
    sections = rng.sample(SECTION_TITLES, rng.randint(1, 3))
    headings = ["Summary", *sections, "Patterns"]
    headings += [f"Pattern {k}: {p}" for k, p in enumerate(patterns, 1)]
    headings += ["Anti-Patterns", "Cross-References", "Keywords"]
    return Plan(i, folder, name, refid, "entry", code, words, headings, patterns, sections, target)


# --- rendering -------------------------------------------------------------------------------


def sentence(rng: random.Random) -> str:
    """One sentence of prose."""
    s = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(QUALIFIERS)}"
    if rng.random() < 0.3:
        s = f"{rng.choice(CONNECTORS)} {s}"
    return s[0].upper() + s[1:] + "."


def paragraph(rng: random.Random, lo: int = 2, hi: int = 6) -> str:
    """A paragraph on one line, as SIMA entries write them."""
    return " ".join(sentence(rng) for _ in range(rng.randint(lo, hi)))


def table(rng: random.Random) -> list[str]:
    """A small pipe table."""
    head = rng.choice(TABLE_HEADS)
    rows = [f"| {' | '.join(head)} |", "|" + "|".join("-" * (len(h) + 2) for h in head) + "|"]
    for _ in range(rng.randint(3, 6)):
        first = f"**{rng.choice(OBJECTS).capitalize()}**"
        rows.append("| " + " | ".join([first] + [rng.choice(TABLE_CELLS) for _ in head[1:]]) + " |")
    return rows


def code_block(rng: random.Random, lang: str = "python") -> list[str]:
    """A fenced code block."""
    fn, other = rng.sample(IDENTIFIERS, 2)
    if lang == "json":
        body = ["{", f'  "name": "{fn}",', f'  "timeout_ms": {rng.randint(1, 30) * 100},',
                f'  "retries": {rng.randint(0, 5)}', "}"]
    else:
        body = [f"def {fn}(key, timeout={rng.randint(1, 30)}):",
                f'    """{sentence(rng)}"""',
                f"    result = {other}(key, timeout=timeout)",
                "    if result is None:",
                f"        raise RuntimeError(\"{fn} failed for {{key}}\")",
                "    return result"]
    return [f"```{lang}", *body, "```"]


def _pattern(rng: random.Random, k: int, name: str, lines_hint: int) -> list[str]:
    out = [f"### Pattern {k}: {name}", "", "**Characteristics:**"]
    out += [f"- {sentence(rng)}" for _ in range(rng.randint(2, 4))]
    out += ["", "**When to Use:**", "```text"]
    out += [f"✅ {sentence(rng)}" for _ in range(rng.randint(2, 3))]
    out += ["```", "", "**Advantages:**"]
    out += [f"- {sentence(rng)}" for _ in range(rng.randint(2, 3))]
    out += ["", "**Disadvantages:**"]
    out += [f"- {sentence(rng)}" for _ in range(rng.randint(1, 3))]
    out += [""]
    if lines_hint > 30:
        out += code_block(rng, rng.choice(("python", "python", "json"))) + [""]
    return out


class Renderer:
    """Renders planned files; knows every plan so references can be made to resolve."""

    def __init__(self, plans: list[Plan], seed: int) -> None:
        self.plans = plans
        self.seed = seed
        self.entries = [p for p in plans if p.kind == "entry"]
        self.by_folder: dict[str, list[Plan]] = {}
        for p in self.entries:
            self.by_folder.setdefault(p.folder, []).append(p)

    def render(self, p: Plan) -> str:
        """The file's text."""
        rng = random.Random(f"render:{self.seed}:{p.index}")
        if p.kind == "index":
            lines = self._index(p, rng)
        elif p.kind == "readme":
            lines = self._readme(rng)
        else:
            lines = self._entry(p, rng)
        text = "\n".join(lines) + "\n"
        if p.violation == "final-newline":
            text = text.rstrip("\n")
        elif p.violation == "crlf":
            text = text.replace("\n", "\r\n")
        return text

    # -- pieces -------------------------------------------------------------------------------

    def _targets(self, p: Plan, rng: random.Random, k: int) -> list[Plan]:
        near = [q for q in self.by_folder.get(p.folder, []) if q is not p]
        out: list[Plan] = []
        for _ in range(k):
            pool = near if near and rng.random() < 0.5 else self.entries
            q = rng.choice(pool)
            if q is not p and q not in out:
                out.append(q)
        return out or [q for q in self.entries if q is not p][:1]

    def _ref(self, p: Plan, q: Plan, syntax: str, rng: random.Random) -> str:
        desc = f"{q.title_words} ({TYPE_NAMES.get(q.type_code, 'Entry').lower()})"
        if syntax == "kb-path":
            return f"- /sima/{q.relpath} - {desc}"
        if syntax == "bare":
            return f"- {q.name} - {desc}"
        if syntax == "relative":
            rel = posixpath.relpath(q.relpath, p.folder)
            if " " in rel:
                return f"- /sima/{q.relpath} - {desc}"
            return f"- {rel} - {desc}"
        if syntax == "suffix":
            rel = q.relpath.split("/", 1)[1]
            return f"- {rel} - {desc}" if " " not in rel else f"- {q.name} - {desc}"
        if syntax == "link":
            rel = quote(posixpath.relpath(q.relpath, p.folder))
            anchor = slug(rng.choice(q.headings))
            return f"- [{q.refid}: {q.title_words}]({rel}#{anchor}) - {desc}"
        return f"- {q.refid} - {desc}"

    def _xrefs(self, p: Plan, rng: random.Random) -> list[str]:
        targets = self._targets(p, rng, rng.randint(5, 10))
        related = targets[: rng.randint(1, 2)]
        rest = targets[len(related):] or targets
        out = ["## Cross-References", "", f"**Related:** {', '.join(q.refid for q in related)}", ""]
        syntaxes = ["kb-path", "bare", "relative", "link", "refid", "suffix"]
        rng.shuffle(syntaxes)
        groups = rng.sample(GROUPS, 2)
        half = max(1, len(rest) // 2)
        for g, chunk in ((groups[0], rest[:half]), (groups[1], rest[half:])):
            if not chunk:
                continue
            out.append(f"**{g}:**")
            for j, q in enumerate(chunk):
                out.append(self._ref(p, q, syntaxes[(j + len(out)) % len(syntaxes)], rng))
            out.append("")
        v = p.violation
        if v == "unresolved":
            q = rng.choice(targets)
            stem, ext = q.name[:-3], ".md"
            out.insert(-1, f"- {stem[:-2]}{stem[-1]}{ext} - a name with a typo")
        elif v == "near-miss":
            q = rng.choice(targets)
            out.insert(-1, f"- /sima/{q.folder}/{q.name.lower()} - case differs")
        elif v == "anchor":
            q = rng.choice(targets)
            out.insert(-1, f"- [{q.refid}]({quote(posixpath.relpath(q.relpath, p.folder))}#no-such-heading) - bad anchor")
        elif v == "unknown-refid":
            out[2] += ", ZZZ-LESS-99"
        elif v == "outside-root":
            out.insert(-1, "- [host notes](../../../../../etc/notes.md) - escapes the root")
        return out

    def _header(self, p: Plan, rng: random.Random) -> list[str]:
        emoji, level = rng.choice(PRIORITIES)
        if p.violation == "priority-emoji":
            emoji = "🟢" if level != "Low" else "🔴"
        year, month, day = rng.randint(2023, 2025), rng.randint(1, 12), rng.randint(1, 28)
        date = f"{year}-{month:02d}-{day:02d}" if p.violation != "bad-date" else f"{year}-02-30"
        refid = p.refid
        if p.violation == "refid-duplicate":
            same = [q for q in self.by_folder[p.folder] if q is not p and q.violation != "refid-duplicate"]
            refid = same[0].refid if same else p.refid
        title = p.name
        if p.violation == "title":
            others = [q for q in self.by_folder[p.folder] if q is not p]
            title = others[0].name if others else "Untitled.md"
        fields = [
            ("Version", f"{rng.randint(1, 4)}.{rng.randint(0, 9)}.{rng.randint(0, 20)}"),
            ("Date", date),
            ("Purpose", sentence(rng)[:90].rstrip(" .")),
            None,
            ("REF-ID", refid),
            ("Category", rng.choice(CATEGORIES)),
            ("Type", f"{p.type_code} ({TYPE_NAMES.get(p.type_code, 'Entry')})"),
            ("Priority", f"{emoji} {level}"),
            ("Status", rng.choice(STATUSES)),
        ]
        if p.violation == "missing-field":
            fields = [f for f in fields if f is None or f[0] != "Status"]
        out = [f"# {title}", ""]
        out += ["" if f is None else f"**{f[0]}:** {f[1]}  " for f in fields]
        return out + ["", "---", ""]

    def _entry(self, p: Plan, rng: random.Random) -> list[str]:
        head = self._header(p, rng)
        summary = ["## Summary", "", paragraph(rng, 3, 6), "", f"**Core Principle:** {sentence(rng)}", "", "---", ""]
        xrefs = self._xrefs(p, rng) + ["---", ""]
        n_kw = rng.randint(4, 8) if p.violation != "keywords-count" else 10
        kws = rng.sample(KEYWORDS, n_kw)
        keywords = ["## Keywords", "", ", ".join(kws), "", "---", ""]
        anti = ["## Anti-Patterns", "", "**Anti-Pattern 1: " + rng.choice(PATTERN_NAMES) + " everywhere**",
                "```text", f"❌ WRONG: {sentence(rng)}", f"✅ RIGHT: {sentence(rng)}", "```", "", "---", ""]
        footer_len = 3
        fixed = len(head) + len(summary) + len(xrefs) + len(keywords) + len(anti) + footer_len
        patterns: list[str] = ["## Patterns", ""]
        budget = p.target_lines - fixed
        per = max(12, (budget * 2 // 3) // max(1, len(p.patterns)))
        for k, name in enumerate(p.patterns, 1):
            patterns += _pattern(rng, k, name, per)
        patterns += ["---", ""]
        budget -= len(patterns)
        sections: list[str] = []
        per_section = max(4, budget // len(p.sections))
        for title in p.sections:
            block = [f"## {title}", ""]
            while len(block) < per_section - 2:
                r = rng.random()
                room = per_section - 2 - len(block)
                if r < 0.2 and room >= 10:
                    block += table(rng) + [""]
                elif r < 0.35 and room >= 10:
                    block += code_block(rng) + [""]
                elif r < 0.5 and room >= 6:
                    block += [f"**{rng.choice(GROUPS)}:**"] + [f"- {sentence(rng)}" for _ in range(3)] + [""]
                else:
                    line = paragraph(rng, 1, 4)
                    if rng.random() < 0.25:
                        q = rng.choice(self.entries)
                        line += f" See {q.refid} for the details."
                    elif rng.random() < 0.1:
                        line += f" The upstream guide is at https://example.org/{rng.choice(IDENTIFIERS)}."
                    block += [line, ""]
            sections += block + ["---", ""]
        if p.violation == "mojibake":
            sections.insert(2, "Status marker: ðŸ”´ copied from an old export.")
        if p.violation == "fence-language":
            sections[2:2] = ["```", "plain output without a language tag", "```", ""]
        body = head + summary + sections + patterns + anti + xrefs + keywords
        if p.violation == "line-limit":
            while len(body) + footer_len < p.target_lines:
                body += [paragraph(rng, 1, 3)]
        total = len(body) + footer_len
        declared = total + 7 if p.violation == "total-lines" else total
        location = f"/sima/{p.folder}/" if p.violation != "location" else f"/sima/{p.folder.split('/')[0]}/"
        return body + [f"**Location:** `{location}`  ", f"**Total Lines:** {declared} (≤400 for SIMAv4)  ",
                       "**SIMAv4 Compliant:** ✅"]

    def _index(self, p: Plan, rng: random.Random) -> list[str]:
        entries = self.by_folder.get(p.folder, [])
        out = [f"# {p.name}", "", f"**Version:** 1.0.{rng.randint(0, 9)}  ", f"**Purpose:** Index of {p.folder}  ",
               "", "---", "", "## Entries", ""]
        out += [f"- {q.name} - {q.title_words}" for q in entries]
        return out + ["", "---", "", f"**Location:** `/sima/{p.folder}/`  "]

    def _readme(self, rng: random.Random) -> list[str]:
        out = ["# README.md", "", "Synthetic knowledge base for sima-check benchmarks.", "", "## Folders", ""]
        folders = sorted({p.folder for p in self.plans if p.kind == "index"})
        out += [f"- `{f}/`" for f in folders]
        return out


def generate(root: Path, n: int, seed: int = 1) -> list[Plan]:
    """Write `n` files under `root` (emptied first); returns the plans."""
    if n < 2:
        raise ValueError("n must be at least 2")
    if root.exists():
        shutil.rmtree(root)
    plans = plan_kb(n, seed)
    renderer = Renderer(plans, seed)
    made: set[str] = set()
    for p in plans:
        directory = root / p.folder if p.folder else root
        if p.folder not in made:
            directory.mkdir(parents=True, exist_ok=True)
            made.add(p.folder)
        with open(directory / p.name, "w", encoding="utf-8", newline="") as fh:
            fh.write(renderer.render(p))
    return plans


def main(argv: list[str] | None = None) -> int:
    """CLI: write a synthetic KB."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="folder to write (emptied first)")
    ap.add_argument("--n", type=int, default=1000, help="number of files")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    plans = generate(args.out, args.n, args.seed)
    bad = sum(1 for p in plans if p.violation)
    print(f"{len(plans)} files, {bad} with a deliberate violation, under {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
