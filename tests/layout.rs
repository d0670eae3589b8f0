//! The layout rule of ARCHITECTURE.md, checked: within one module, its files import each other
//! one way only. A file of module `m` that names a sibling file of `m` (by `super::x`,
//! `self::x` or `crate::…::m::x`, in a `use` or in an expression, test modules included) draws
//! an edge to it; the edges of every module must have no circle.
//!
//! The scan reads the source text with comments (doc comments too), string and character
//! literals blanked out, so a path in prose or in a message draws no edge. It does not expand
//! macros or follow glob re-exports; it reads paths as written, which is what a reader sees.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module's path inside the crate (`["audit", "statement"]`); the crate root is empty.
type ModPath = Vec<String>;

/// One sibling import: which line of the importing file names which sibling.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Edge {
    from: String,
    to: String,
    line: usize,
}

/// Replaces comments, string literals and character literals by spaces, keeping every newline
/// so line numbers still hold.
fn strip(src: &str) -> String {
    let c: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let blank = |out: &mut String, ch: char| out.push(if ch == '\n' { '\n' } else { ' ' });
    let ident = |ch: char| ch.is_alphanumeric() || ch == '_';
    let mut i = 0;
    while i < c.len() {
        let at_token_start = i == 0 || !ident(c[i - 1]);
        if c[i] == '/' && c.get(i + 1) == Some(&'/') {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if c[i] == '/' && c.get(i + 1) == Some(&'*') {
            // Block comments nest in Rust.
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    blank(&mut out, c[i]);
                    i += 1;
                }
            }
        } else if at_token_start && raw_string_start(&c, i).is_some() {
            let (open, hashes) = raw_string_start(&c, i).unwrap();
            for &ch in &c[i..open + 1] {
                blank(&mut out, ch);
            }
            i = open + 1;
            while i < c.len() {
                if c[i] == '"'
                    && c[i + 1..]
                        .iter()
                        .take(hashes)
                        .filter(|&&h| h == '#')
                        .count()
                        == hashes
                {
                    for _ in 0..=hashes {
                        out.push(' ');
                    }
                    i += 1 + hashes;
                    break;
                }
                blank(&mut out, c[i]);
                i += 1;
            }
        } else if c[i] == '"' {
            out.push(' ');
            i += 1;
            while i < c.len() && c[i] != '"' {
                if c[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < c.len() {
                    blank(&mut out, c[i]);
                    i += 1;
                }
            }
            out.push(' ');
            i += 1;
        } else if c[i] == '\'' {
            // A character literal ('x', '\n', '\u{..}') or a lifetime ('a, which has no closing
            // quote right after one character).
            if c.get(i + 1) == Some(&'\\') {
                let mut j = i + 2;
                while j < c.len() && c[j] != '\'' {
                    j += 1;
                }
                for _ in i..=j.min(c.len() - 1) {
                    out.push(' ');
                }
                i = j + 1;
            } else if c.get(i + 2) == Some(&'\'') {
                out.push_str("   ");
                i += 3;
            } else {
                out.push('\'');
                i += 1;
            }
        } else {
            out.push(c[i]);
            i += 1;
        }
    }
    out
}

/// Where a raw string starting at `i` (`r"`, `r#"`, `br##"` …) has its opening quote, and how
/// many `#` it has.
fn raw_string_start(c: &[char], i: usize) -> Option<(usize, usize)> {
    let mut j = i;
    if c.get(j) == Some(&'b') {
        j += 1;
    }
    if c.get(j) != Some(&'r') {
        return None;
    }
    j += 1;
    let mut hashes = 0;
    while c.get(j) == Some(&'#') {
        hashes += 1;
        j += 1;
    }
    (c.get(j) == Some(&'"')).then_some((j, hashes))
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    PathSep,
    Open,
    Close,
    Comma,
    Other,
}

/// Tokens of stripped source, each with its line.
fn tokens(text: &str) -> Vec<(Tok, usize)> {
    let c: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < c.len() {
        let ch = c[i];
        if ch == '\n' {
            line += 1;
            i += 1;
        } else if ch.is_whitespace() {
            i += 1;
        } else if ch.is_alphanumeric() || ch == '_' {
            let start = i;
            while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            out.push((Tok::Ident(c[start..i].iter().collect()), line));
        } else if ch == ':' && c.get(i + 1) == Some(&':') {
            out.push((Tok::PathSep, line));
            i += 2;
        } else {
            out.push((
                match ch {
                    '{' => Tok::Open,
                    '}' => Tok::Close,
                    ',' => Tok::Comma,
                    _ => Tok::Other,
                },
                line,
            ));
            i += 1;
        }
    }
    out
}

/// Every `crate::`, `self::` or `super::` path in one file, resolved to the module path it
/// names, with its line. `file` is the file's module path; inline `mod x { … }` blocks (test
/// modules) are followed, so `super::` inside one means the file itself.
fn paths_in(file: &ModPath, src: &str) -> Vec<(ModPath, usize)> {
    let toks = tokens(&strip(src));
    let mut out = Vec::new();
    // The inline modules open at each brace depth.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < toks.len() {
        match &toks[i].0 {
            Tok::Open => depth += 1,
            Tok::Close => {
                depth = depth.saturating_sub(1);
                while inline.last().is_some_and(|(_, d)| *d > depth) {
                    inline.pop();
                }
            }
            Tok::Ident(w) if w == "mod" => {
                if let (Some((Tok::Ident(name), _)), Some((Tok::Open, _))) =
                    (toks.get(i + 1), toks.get(i + 2))
                {
                    inline.push((name.clone(), depth + 1));
                }
            }
            Tok::Ident(w)
                if matches!(w.as_str(), "crate" | "self" | "super")
                    && (i == 0 || toks[i - 1].0 != Tok::PathSep) =>
            {
                let mut scope: ModPath = file.clone();
                scope.extend(inline.iter().map(|(n, _)| n.clone()));
                let (paths, next) = read_tree(&toks, i, Vec::new());
                for leaf in paths {
                    if let Some(p) = resolve(&scope, &leaf.segs) {
                        out.push((p, leaf.line));
                    }
                }
                i = next;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// One path read from the source: its segments as written, its line, and the name a `use`
/// gives it (`as x`, else its last segment).
#[derive(Debug, Clone, PartialEq)]
struct Leaf {
    segs: Vec<String>,
    line: usize,
    alias: Option<String>,
}

/// Reads the path (or `use` tree) starting at token `i`, prefixed by `prefix`; returns the
/// leaf paths and the index after it.
fn read_tree(toks: &[(Tok, usize)], mut i: usize, prefix: Vec<String>) -> (Vec<Leaf>, usize) {
    let mut segs = prefix;
    let mut out = Vec::new();
    let ident_at = |i: usize| match toks.get(i) {
        Some((Tok::Ident(w), _)) => Some(w.as_str()),
        _ => None,
    };
    loop {
        match toks.get(i) {
            Some((Tok::Ident(w), line)) => {
                segs.push(w.clone());
                let line = *line;
                i += 1;
                if toks.get(i).map(|t| &t.0) == Some(&Tok::PathSep) {
                    i += 1;
                    if toks.get(i).map(|t| &t.0) == Some(&Tok::Open) {
                        // A group: `a::{b, c::d, self}`.
                        i += 1;
                        loop {
                            match toks.get(i).map(|t| &t.0) {
                                Some(Tok::Close) => {
                                    i += 1;
                                    break;
                                }
                                Some(Tok::Comma) => i += 1,
                                Some(Tok::Ident(_)) => {
                                    let (inner, next) = read_tree(toks, i, segs.clone());
                                    out.extend(inner);
                                    i = next;
                                }
                                None => break,
                                // `*` and the like: the prefix alone.
                                Some(_) => {
                                    out.push(Leaf {
                                        segs: segs.clone(),
                                        line,
                                        alias: None,
                                    });
                                    i += 1;
                                }
                            }
                        }
                        return (out, i);
                    }
                    continue;
                }
                let mut alias = None;
                if ident_at(i) == Some("as") {
                    alias = ident_at(i + 1).map(str::to_string);
                    i += 2;
                }
                out.push(Leaf { segs, line, alias });
                return (out, i);
            }
            _ => {
                if let Some((_, line)) = toks.get(i.saturating_sub(1)) {
                    out.push(Leaf {
                        segs,
                        line: *line,
                        alias: None,
                    });
                }
                return (out, i);
            }
        }
    }
}

/// The names a module file brings into scope with top-level `use` declarations (public or not:
/// its child modules see both), each with the module path it stands for. A path that does not
/// start at `crate`, `self` or `super` starts at the module itself (`pub use truth::Expected`
/// in a `mod.rs`). Globs are left out.
fn uses_at_top(module: &ModPath, src: &str) -> BTreeMap<String, ModPath> {
    let toks = tokens(&strip(src));
    let mut out = BTreeMap::new();
    let mut depth = 0usize;
    for (i, (tok, _)) in toks.iter().enumerate() {
        match tok {
            Tok::Open => depth += 1,
            Tok::Close => depth = depth.saturating_sub(1),
            Tok::Ident(w) if w == "use" && depth == 0 => {
                let (leaves, _) = read_tree(&toks, i + 1, Vec::new());
                for leaf in leaves {
                    let Some(last) = leaf.segs.last() else {
                        continue;
                    };
                    let name = leaf.alias.clone().unwrap_or_else(|| last.clone());
                    if matches!(name.as_str(), "self" | "super" | "crate" | "_") {
                        continue;
                    }
                    let segs = match leaf.segs[0].as_str() {
                        "crate" | "self" | "super" => leaf.segs.clone(),
                        _ => std::iter::once("self".to_string())
                            .chain(leaf.segs.iter().cloned())
                            .collect(),
                    };
                    if let Some(p) = resolve(module, &segs) {
                        out.insert(name, p);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The module path `segs` names when written in `scope`; `None` for paths that do not start at
/// `crate`, `self` or `super`, or climb above the root.
fn resolve(scope: &ModPath, segs: &[String]) -> Option<ModPath> {
    let mut base: ModPath;
    let mut rest = segs;
    match rest.first().map(String::as_str) {
        Some("crate") => {
            base = Vec::new();
            rest = &rest[1..];
        }
        Some("self") | Some("super") => base = scope.clone(),
        _ => return None,
    }
    while let Some(first) = rest.first() {
        match first.as_str() {
            "self" => {}
            "super" => {
                base.pop()?;
            }
            _ => break,
        }
        rest = &rest[1..];
    }
    base.extend(rest.iter().cloned());
    Some(base)
}

/// The module path of a file under `src/` (`audit/mod.rs` → `audit`, `lib.rs` → root).
fn module_of(rel: &Path) -> ModPath {
    let mut segs: ModPath = rel
        .iter()
        .map(|s| s.to_string_lossy().into_owned())
        .collect();
    let last = segs.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if !matches!(stem, "mod" | "lib") {
        segs.push(stem.to_string());
    }
    segs
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The sibling imports of every module with more than one file, by module: for each file of
/// module `m` (not `m`'s own `mod.rs`), the siblings of it that it names, directly or through a
/// name the module file brings into scope (`super::SiteTruth` where `mod.rs` has
/// `pub use truth::SiteTruth`).
fn sibling_edges(files: &[(ModPath, String, String)]) -> BTreeMap<String, Vec<Edge>> {
    let mods: BTreeSet<&ModPath> = files.iter().map(|(m, _, _)| m).collect();
    let file_of: BTreeMap<&ModPath, &String> = files.iter().map(|(m, f, _)| (m, f)).collect();
    let in_scope: BTreeMap<&ModPath, BTreeMap<String, ModPath>> = files
        .iter()
        .map(|(m, _, src)| (m, uses_at_top(m, src)))
        .collect();
    let mut out: BTreeMap<String, Vec<Edge>> = BTreeMap::new();
    for (m, name, src) in files {
        let Some((own, parent)) = m.split_last() else {
            continue;
        };
        let parent_vec = parent.to_vec();
        for (mut target, line) in paths_in(m, src) {
            if target.len() <= parent.len() || !target.starts_with(parent) {
                continue;
            }
            let first = &target[parent.len()];
            let mut first_path = parent_vec.clone();
            first_path.push(first.clone());
            if !mods.contains(&first_path)
                && let Some(via) = in_scope.get(&parent_vec).and_then(|u| u.get(first))
            {
                let mut through = via.clone();
                through.extend(target[parent.len() + 1..].iter().cloned());
                target = through;
                if target.len() <= parent.len() || !target.starts_with(parent) {
                    continue;
                }
            }
            let sib = &target[parent.len()];
            if sib == own {
                continue;
            }
            let mut sib_path = parent.to_vec();
            sib_path.push(sib.clone());
            if !mods.contains(&sib_path) {
                continue;
            }
            let key = if parent.is_empty() {
                "crate".to_string()
            } else {
                parent.join("::")
            };
            out.entry(key).or_default().push(Edge {
                from: name.clone(),
                to: file_of[&sib_path].clone(),
                line,
            });
        }
    }
    out
}

/// The circles among one module's files: each strongly connected group of more than one file,
/// written as one circle through it, each file with the line of its import of the next
/// (`a.rs:12 → b.rs:40 → a.rs`).
fn circles(edges: &[Edge]) -> Vec<String> {
    let mut adj: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for e in edges {
        adj.entry(&e.from)
            .or_default()
            .entry(&e.to)
            .or_insert(e.line);
        adj.entry(&e.to).or_default();
    }
    let nodes: Vec<&str> = adj.keys().copied().collect();
    // Tarjan's strongly connected components.
    struct State<'a> {
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        next: usize,
        groups: Vec<Vec<&'a str>>,
    }
    fn visit<'a>(v: &'a str, adj: &BTreeMap<&'a str, BTreeMap<&'a str, usize>>, s: &mut State<'a>) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on_stack.insert(v);
        for &w in adj[v].keys() {
            if !s.index.contains_key(w) {
                visit(w, adj, s);
                let l = s.low[v].min(s.low[w]);
                s.low.insert(v, l);
            } else if s.on_stack.contains(w) {
                let l = s.low[v].min(s.index[w]);
                s.low.insert(v, l);
            }
        }
        if s.low[v] == s.index[v] {
            let mut group = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                group.push(w);
                if w == v {
                    break;
                }
            }
            s.groups.push(group);
        }
    }
    let mut s = State {
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        groups: Vec::new(),
    };
    for &v in &nodes {
        if !s.index.contains_key(v) {
            visit(v, &adj, &mut s);
        }
    }
    let mut out = Vec::new();
    for group in s.groups.iter().filter(|g| g.len() > 1) {
        let members: BTreeSet<&str> = group.iter().copied().collect();
        let start = *members.iter().next().unwrap();
        // The shortest way from `start` back to itself inside the group.
        let mut prev: BTreeMap<&str, &str> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([start]);
        'search: while let Some(v) = queue.pop_front() {
            for &w in adj[v].keys() {
                if !members.contains(w) {
                    continue;
                }
                if w == start {
                    prev.insert("", v);
                    break 'search;
                }
                if !prev.contains_key(w) {
                    prev.insert(w, v);
                    queue.push_back(w);
                }
            }
        }
        // Back from the last file before `start`, then turned round.
        let mut back = Vec::new();
        let mut at = prev[""];
        while at != start {
            back.push(at);
            at = prev[at];
        }
        let mut walk = vec![start];
        walk.extend(back.into_iter().rev());
        walk.push(start);
        let mut text = String::new();
        for pair in walk.windows(2) {
            text.push_str(&format!("{}:{} → ", pair[0], adj[pair[0]][pair[1]]));
        }
        text.push_str(start);
        let others: Vec<&str> = members
            .iter()
            .copied()
            .filter(|m| !walk.contains(m))
            .collect();
        if !others.is_empty() {
            text.push_str(&format!("; also in the circle: {}", others.join(", ")));
        }
        out.push(text);
    }
    out
}

fn crate_files() -> Vec<(ModPath, String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    rust_files(&src, &mut paths);
    paths
        .into_iter()
        // The binary is a crate of its own, with no sibling files.
        .filter(|p| p != &src.join("main.rs"))
        .map(|p| {
            let rel = p.strip_prefix(&src).unwrap().to_path_buf();
            let text = std::fs::read_to_string(&p)
                .unwrap_or_else(|e| panic!("reading {}: {e}", p.display()));
            (module_of(&rel), format!("src/{}", rel.display()), text)
        })
        .collect()
}

#[test]
fn no_module_has_a_circle_among_its_files() {
    let files = crate_files();
    assert!(
        files.len() > 50,
        "the scan found only {} files under src/",
        files.len()
    );
    let edges = sibling_edges(&files);
    // The scan sees the one-way imports it should: a check that it reads paths at all.
    assert!(
        edges.values().flatten().count() > 20,
        "the scan found almost no sibling imports: {edges:?}"
    );
    let found: Vec<String> = edges
        .iter()
        .flat_map(|(m, e)| circles(e).into_iter().map(move |c| format!("in {m}: {c}")))
        .collect();
    assert!(
        found.is_empty(),
        "files of one module import each other in a circle; move what both need into a file \
         of its own that both import:\n  {}",
        found.join("\n  ")
    );
}

fn f(m: &[&str], name: &str, src: &str) -> (ModPath, String, String) {
    (
        m.iter().map(|s| s.to_string()).collect(),
        name.to_string(),
        src.to_string(),
    )
}

#[test]
fn comments_strings_and_characters_draw_no_edge() {
    let src = "//! See [`super::b`].\n/* use super::b; /* nested */ super::b */\n\
               fn x() { let s = \"super::b::y\"; let r = r#\"super::b\"#; let c = '\"'; }\n\
               fn y<'a>(v: &'a str) -> &'a str { v }\n";
    assert_eq!(paths_in(&vec!["m".into(), "a".into()], src), Vec::new());
    // Lines still count after a stripped block comment: the path below is on line 3.
    let src = "/* one\ntwo */\nuse super::b::Thing;\n";
    let found = paths_in(&vec!["m".into(), "a".into()], src);
    assert_eq!(
        found,
        vec![(vec!["m".to_string(), "b".into(), "Thing".into()], 3)]
    );
}

#[test]
fn use_groups_test_modules_and_crate_paths_resolve_to_siblings() {
    let files = vec![
        f(
            &["m", "a"],
            "src/m/a.rs",
            "use super::{x, b::{One, Two}};\n",
        ),
        f(&["m", "b"], "src/m/b.rs", "fn f() { crate::m::c::g(); }\n"),
        f(
            &["m", "c"],
            "src/m/c.rs",
            "pub fn g() {}\n#[cfg(test)]\nmod tests {\n    use super::*;\n    use super::super::a;\n}\n",
        ),
        f(
            &["m"],
            "src/m/mod.rs",
            "pub mod a; pub mod b; pub mod c; pub fn x() {}\n",
        ),
    ];
    let edges = &sibling_edges(&files)["m"];
    let pairs: Vec<(&str, &str, usize)> = edges
        .iter()
        .map(|e| (e.from.as_str(), e.to.as_str(), e.line))
        .collect();
    assert_eq!(
        pairs,
        vec![
            ("src/m/a.rs", "src/m/b.rs", 1),
            ("src/m/a.rs", "src/m/b.rs", 1),
            ("src/m/b.rs", "src/m/c.rs", 1),
            ("src/m/c.rs", "src/m/a.rs", 5),
        ]
    );
    let found = circles(edges);
    assert_eq!(
        found,
        vec!["src/m/a.rs:1 → src/m/b.rs:1 → src/m/c.rs:5 → src/m/a.rs"]
    );
}

#[test]
fn a_name_the_module_file_brings_into_scope_leads_to_its_file() {
    let files = vec![
        f(
            &["d"],
            "src/d/mod.rs",
            "pub mod s;\npub mod t;\npub use t::{Other, Truth as SiteTruth};\n",
        ),
        f(
            &["d", "s"],
            "src/d/s.rs",
            "pub struct Part;\nfn compare(t: &super::SiteTruth) {}\n",
        ),
        f(
            &["d", "t"],
            "src/d/t.rs",
            "pub struct Truth { part: super::s::Part }\n",
        ),
    ];
    assert_eq!(
        circles(&sibling_edges(&files)["d"]),
        vec!["src/d/s.rs:2 → src/d/t.rs:1 → src/d/s.rs"]
    );
}

#[test]
fn one_way_imports_are_no_circle() {
    let edges = vec![
        Edge {
            from: "a".into(),
            to: "b".into(),
            line: 1,
        },
        Edge {
            from: "b".into(),
            to: "c".into(),
            line: 2,
        },
        Edge {
            from: "a".into(),
            to: "c".into(),
            line: 3,
        },
    ];
    assert!(circles(&edges).is_empty());
}
