#!/usr/bin/env bash
# Fuzzes civicscan's input handling for a bounded time per target; not run in CI.
#
#   tests/fuzz/run.sh [SECONDS] [TARGET...]     (default: 60 seconds, every target)
#
# Needs the nightly toolchain and cargo-fuzz:
#   rustup toolchain install nightly && cargo install cargo-fuzz
# Targets: sites, ruleset, robots, sitemap, page_audit (see targets.rs). Each run grows
# corpus/TARGET (not committed), seeded from the shipped sites file, rulesets and HTML fixtures.
# A crash is saved by libFuzzer in artifacts/TARGET/: commit it, fix the bug, and the regression
# test `fuzz_artifacts_replay_without_crashing` in tests/hostile.rs replays it from then on.
# SANITIZER=address (or another cargo-fuzz sanitizer) turns one on; the default is none, as
# civicscan and its parsers are safe Rust and the aim is panics, hangs and runaway memory.
set -uo pipefail
fuzz="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$fuzz/../.." && pwd)"

seconds="${1:-60}"
shift || true
if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    targets=(sites ruleset robots sitemap page_audit)
fi

if ! cargo +nightly --version >/dev/null 2>&1; then
    echo "fuzzing needs the nightly toolchain: rustup toolchain install nightly" >&2
    exit 2
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "fuzzing needs cargo-fuzz: cargo install cargo-fuzz" >&2
    exit 2
fi

cd "$fuzz"
seed() { # seed TARGET FILE...: copies shipped inputs into the target's seed folder
    local dir="seeds/$1"
    shift
    mkdir -p "$dir"
    for f in "$@"; do
        [ -f "$f" ] && cp "$f" "$dir/$(echo "$f" | tr '/' '_')"
    done
}
rm -rf seeds
seed sites "$repo/sites.csv"
seed ruleset "$repo"/rulesets/*.toml
seed page_audit $(find "$repo/tests/fixtures" -name '*.html' | head -200)
mkdir -p seeds/robots seeds/sitemap
printf 'User-agent: *\nDisallow: /private\nAllow: /private/ok\nCrawl-delay: 2\nSitemap: /sm.xml\n\nUser-agent: civicscan\nDisallow: /*.pdf$\n' >seeds/robots/basic
printf '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>/a?b=1&amp;c=2</loc></url><url><loc><![CDATA[/d]]></loc></url></urlset>' >seeds/sitemap/urlset
printf '<sitemapindex><sitemap><loc>https://www.council.gov.uk/s1.xml</loc></sitemap></sitemapindex>' >seeds/sitemap/index

# cargo-fuzz looks for `fuzz/` under the project root; ours lives in tests/fuzz.
cd "$repo"
sanitizer="${SANITIZER:-none}"
failed=()
for t in "${targets[@]}"; do
    echo "== $t: ${seconds}s"
    mkdir -p "$fuzz/corpus/$t" "$fuzz/artifacts/$t"
    if ! cargo +nightly fuzz run --fuzz-dir "$fuzz" --sanitizer "$sanitizer" "$t" \
        "$fuzz/corpus/$t" "$fuzz/seeds/$t" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=262144; then
        failed+=("$t")
    fi
done

if [ "${#failed[@]}" -gt 0 ]; then
    echo "crashes in: ${failed[*]}; inputs saved under tests/fuzz/artifacts/" >&2
    exit 1
fi
echo "no crashes in ${targets[*]} (${seconds}s each)"
