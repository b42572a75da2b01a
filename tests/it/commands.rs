//! The read-side subcommands (`export`, `match`, `eval`) through the binary, on whichever
//! backend the suites run against: a SQLite file, or with `KBFIX_TEST_BACKEND=postgres` a
//! fresh PostgreSQL database (`.ci/run` runs this module both ways).

use crate::common::kbfix_with_stdin as kbfix;
use crate::common::{self, pg};
use serde_json::Value;
use std::collections::HashSet;
use std::path::Path;
use std::process::Output;

/// A database of the suites' backend with the fixtures imported through the binary.
fn fixture_db(dir: &Path) -> String {
    let db = if pg::backend_is_postgres() {
        let server = pg::server().expect("KBFIX_TEST_BACKEND=postgres needs KBFIX_TEST_PG");
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(pg::fresh_database(&server))
    } else {
        dir.join("kbfix.db").to_str().unwrap().to_string()
    };
    let out = kbfix(&db, &["import", common::fixtures().to_str().unwrap()], b"");
    assert!(out.status.success(), "fixture import failed: {out:?}");
    db
}

fn stdout_of(what: &str, out: &Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{what}: exit {}: {stderr}",
        out.status
    );
    assert!(!stderr.contains("panicked"), "{what}: {stderr}");
    String::from_utf8(out.stdout.clone()).expect("utf-8 output")
}

#[test]
fn export_writes_each_article_once_as_imported() {
    let dir = tempfile::tempdir().unwrap();
    let db = fixture_db(dir.path());
    let export = stdout_of("export", &kbfix(&db, &["export"], b""));
    let articles: Vec<Value> = export
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let ids: HashSet<&str> = articles.iter().filter_map(|a| a["id"].as_str()).collect();
    let fixtures = std::fs::read_dir(common::fixtures()).unwrap().count();
    assert_eq!(
        (articles.len(), ids.len()),
        (fixtures, fixtures),
        "{export}"
    );
    // In number order, five-digit numbers as the archive writes them.
    let numbers: Vec<u64> = articles
        .iter()
        .map(|a| a["id"].as_str().unwrap()[1..].parse().unwrap())
        .collect();
    assert!(numbers.windows(2).all(|w| w[0] < w[1]), "{numbers:?}");
    assert!(ids.contains("Q90022") && !ids.contains("Q090022"));
    let q900068 = articles.iter().find(|a| a["id"] == "Q900068").unwrap();
    assert!(
        q900068["title"]
            .as_str()
            .is_some_and(|t| t.contains("Event ID 68")),
        "{q900068}"
    );
    // The same database, exported again: the same bytes.
    assert_eq!(stdout_of("export", &kbfix(&db, &["export"], b"")), export);
}

#[test]
fn match_ranks_the_pasted_event_first_as_text_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = fixture_db(dir.path());
    let paste = common::q900068_event();
    let text = stdout_of("match", &kbfix(&db, &["match"], paste.as_bytes()));
    let first = text
        .lines()
        .map(str::trim_start)
        .find(|l| l.starts_with("1. Q"))
        .unwrap_or_else(|| panic!("no ranking: {text}"));
    assert!(first.starts_with("1. Q900068 "), "{text}");

    let json = stdout_of(
        "match --json",
        &kbfix(&db, &["match", "--json"], paste.as_bytes()),
    );
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["events"][0]["event_id"], 68, "{v}");
    let ranked: Vec<&str> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert_eq!(ranked.first(), Some(&"Q900068"), "{v}");
    assert!(ranked.contains(&"Q900070"), "the related article too: {v}");
}

/// One labelled paste, as `dev-pastes.jsonl` writes it.
fn case(name: &str, format: &str, text: &str, gold: &[&str]) -> String {
    serde_json::json!({"case": name, "format": format, "text": text, "gold": gold}).to_string()
}

#[test]
fn eval_scores_labelled_pastes_per_format() {
    let dir = tempfile::tempdir().unwrap();
    let db = fixture_db(dir.path());
    let pastes = dir.path().join("pastes.jsonl");
    let lines = [
        case("a", "kb", &common::q900068_event(), &["Q900068"]),
        case(
            "b",
            "kb",
            "Event ID: 8\nSource: SNA Server\nType: Warning\nDescription: (1174) Internal \
             protocol violation between the gateway service and a link service.",
            &["Q900002"],
        ),
        // Gold that the fixtures do not hold: ranked nowhere.
        case(
            "c",
            "message",
            "Event ID: 68\nSource: MSExchangeCCMC",
            &["Q123456"],
        ),
    ];
    std::fs::write(&pastes, lines.join("\n") + "\n").unwrap();
    let table = stdout_of(
        "eval",
        &kbfix(&db, &["eval", pastes.to_str().unwrap()], b""),
    );
    let row = |name: &str| {
        table
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("no {name} row: {table}"))
            .to_string()
    };
    assert!(
        row("kb").contains("n=    2 recall@1=1.000 recall@5=1.000"),
        "{table}"
    );
    assert!(
        row("message").contains("n=    1 recall@1=0.000 recall@5=0.000"),
        "{table}"
    );
    assert!(row("ALL").contains("n=    3 recall@1=0.667"), "{table}");

    // A bad line is named by its file and number.
    std::fs::write(&pastes, format!("{}\nnot json\n", lines[0])).unwrap();
    let out = kbfix(&db, &["eval", pastes.to_str().unwrap()], b"");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("pastes.jsonl:2") && !stderr.contains("panicked"),
        "{stderr}"
    );
}
