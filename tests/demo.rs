//! The demo web: deterministic generation, ground truth, and the loopback server.

use std::collections::BTreeSet;

use civicscan::demo::{self, Expected, ServeOptions, Style};
use civicscan::ruleset;
use civicscan::sites::{self, CouncilType};

fn today() -> jiff::civil::Date {
    jiff::civil::date(2026, 11, 24)
}

fn web(seed: u64) -> demo::DemoWeb {
    demo::generate_with(
        &ruleset::builtin(),
        seed,
        demo::DEFAULT_COUNCILS,
        0,
        today(),
    )
}

#[test]
fn the_same_seed_gives_identical_sites() {
    assert_eq!(web(7), web(7));
    assert_ne!(web(7).sites[0].pages, web(8).sites[0].pages);
}

#[test]
#[ignore = "prints a summary for eyeballing: cargo test --test demo -- --ignored --nocapture"]
fn dump_summary() {
    let w = web(demo::DEFAULT_SEED);
    for s in &w.sites {
        let t = &s.truth;
        println!(
            "{:<40} {} {:<9} q={:.2} measure={:.2} pages={} search={:?} az={} tasks={}/{}",
            s.site.name,
            s.site.council_type,
            t.template,
            t.quality,
            t.quality_measure(),
            s.pages.len(),
            t.search,
            t.a_to_z,
            t.tasks.iter().filter(|x| x.page.is_some()).count(),
            t.tasks.len()
        );
    }
    let s = &w.sites[1];
    for (p, r) in &s.pages {
        println!("{} {} {}", r.status, r.content_type, p);
    }
    println!("{}", serde_json::to_string_pretty(&s.truth).unwrap());
    if let Some(p) = s.truth.tasks.iter().find_map(|t| t.page.clone()) {
        println!("{}", s.pages[&p].body);
    }
    println!("{}", s.pages["/"].body);
}
