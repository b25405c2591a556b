"""Browser-test helpers: axe-core accessibility checks (docs/quality.md A1) on Debian's Chromium."""

from pathlib import Path

AXE_JS = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
AXE_TOTALS: dict[str, int] = {}


def assert_accessible(page, *, context: str = "") -> dict:
    """Run axe-core (wcag2a, wcag2aa) on the page as it is now; fail on serious or critical violations.

    The script is evaluated through the DevTools protocol, which the page's enforced CSP does
    not block, so forms can be checked in their error state and on their confirm pages.
    Returns the counts of violating nodes by impact.
    """
    problems = getattr(page, "problems", None)
    seen = len(problems) if problems is not None else 0
    page.evaluate("() => { " + AXE_JS.read_text(encoding="utf-8") + "\n; window.__axe = axe; }")
    result = page.evaluate("async () => await window.__axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']})")
    if problems is not None:
        # axe-core itself sets inline styles on probe elements (e.g. on form controls), which the
        # page's enforced CSP reports; those reports come from the test tool, not from the page.
        problems[seen:] = [problem for problem in problems[seen:] if "Applying inline style" not in problem]
    counts: dict[str, int] = {}
    for violation in result["violations"]:
        impact = violation.get("impact") or "unknown"
        counts[impact] = counts.get(impact, 0) + len(violation["nodes"])
        AXE_TOTALS[impact] = AXE_TOTALS.get(impact, 0) + len(violation["nodes"])
    AXE_TOTALS["pages"] = AXE_TOTALS.get("pages", 0) + 1
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
    assert not serious, f"axe violations on {context or page.url}: {serious}"
    return counts
