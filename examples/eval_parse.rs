//! Measures the paste parser on a labelled JSONL file (`{"case","format","text","gold"}`):
//! per labelled format, how often the first event's format is right and its fields are there.
//!
//! `cargo run --release --example eval_parse -- ../shared/eval/dev-pastes.jsonl [--misses N]
//! [--field-misses N] [--several N] [--dump PATH] [--stress]`

use kbfix::paste::{PasteFormat, PastedEvent, parse_paste};
use std::collections::BTreeMap;
use std::time::Instant;

/// Counts for one labelled format.
#[derive(Default)]
struct Tally {
    n: usize,
    format_ok: usize,
    id: usize,
    source: usize,
    description: usize,
    events: usize,
}

/// A case the parser got wrong, for the listings.
struct Miss {
    case: String,
    want: String,
    got: String,
    text: String,
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        "-".into()
    } else {
        format!("{:.1}%", 100.0 * part as f64 / whole as f64)
    }
}

fn format_name(f: PasteFormat) -> String {
    serde_json::to_value(f)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Whether a labelled format carries an id, and a description.
fn carries(format: &str) -> (bool, bool) {
    (format != "message", format != "xml")
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args
        .iter()
        .enumerate()
        .find(|(i, a)| {
            !a.starts_with("--")
                && a.parse::<usize>().is_err()
                && (*i == 0 || args.get(i - 1).is_none_or(|p| p != "--dump"))
        })
        .map(|(_, a)| a)
        .cloned()
        .unwrap_or_else(|| "../shared/eval/dev-pastes.jsonl".into());
    let count_after = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .map(|i| args.get(i + 1).and_then(|n| n.parse().ok()).unwrap_or(10))
            .unwrap_or(0)
    };
    let show_misses = count_after("--misses");
    let show_field_misses = count_after("--field-misses");
    let show_several = count_after("--several");
    // `--dump PATH` writes every case's parsed events as JSON lines, for comparing runs.
    let mut dump = match args.iter().position(|a| a == "--dump") {
        Some(i) => Some(std::io::BufWriter::new(std::fs::File::create(
            args.get(i + 1).map_or("parsed.jsonl", String::as_str),
        )?)),
        None => None,
    };

    if args.iter().any(|a| a == "--stress") {
        stress();
    }
    let text = std::fs::read_to_string(&path)?;
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let mut misses = Vec::new();
    let mut field_misses = Vec::new();
    let mut several = Vec::new();
    let mut parse_time = std::time::Duration::ZERO;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line)?;
        let case = v["case"].as_str().unwrap_or("?").to_string();
        let label = v["format"].as_str().unwrap_or("?").to_string();
        let paste = v["text"].as_str().unwrap_or("");
        let started = Instant::now();
        let events = parse_paste(paste);
        parse_time += started.elapsed();
        if let Some(out) = dump.as_mut() {
            use std::io::Write;
            let row = serde_json::json!({"case": case, "format": label, "events": events});
            writeln!(out, "{row}")?;
        }
        let t = tallies.entry(label.clone()).or_default();
        t.n += 1;
        t.events += events.len();
        if events.len() > 1 {
            several.push(Miss {
                case: case.clone(),
                want: label.clone(),
                got: format!("{} events", events.len()),
                text: paste.to_string(),
            });
        }
        let first: Option<&PastedEvent> = events.first();
        let got = first.map_or("none".to_string(), |e| format_name(e.format));
        if got == label {
            t.format_ok += 1;
        } else {
            misses.push(Miss {
                case: case.clone(),
                want: label.clone(),
                got: got.clone(),
                text: paste.to_string(),
            });
        }
        let (has_id, has_desc) = carries(&label);
        let id = first.is_some_and(|e| e.event_id.is_some());
        let source = first.is_some_and(|e| e.source.is_some());
        let desc = first.is_some_and(|e| e.description.as_deref().is_some_and(|d| !d.is_empty()));
        t.id += usize::from(id);
        t.source += usize::from(source);
        t.description += usize::from(desc);
        let mut lacking = Vec::new();
        if has_id && !id {
            lacking.push("id");
        }
        if has_id && !source {
            lacking.push("source");
        }
        if has_desc && !desc {
            lacking.push("description");
        }
        if !lacking.is_empty() {
            field_misses.push(Miss {
                case,
                want: label,
                got: format!("{got} lacking {}", lacking.join(", ")),
                text: paste.to_string(),
            });
        }
    }

    println!(
        "{:<12} {:>6} {:>8} {:>8} {:>8} {:>8} {:>7}",
        "format", "count", "format", "id", "source", "desc", "events"
    );
    let mut all = Tally::default();
    for (label, t) in &tallies {
        let (has_id, has_desc) = carries(label);
        println!(
            "{:<12} {:>6} {:>8} {:>8} {:>8} {:>8} {:>7}",
            label,
            t.n,
            percent(t.format_ok, t.n),
            if has_id {
                percent(t.id, t.n)
            } else {
                "-".into()
            },
            if has_id {
                percent(t.source, t.n)
            } else {
                "-".into()
            },
            if has_desc {
                percent(t.description, t.n)
            } else {
                "-".into()
            },
            t.events,
        );
        all.n += t.n;
        all.format_ok += t.format_ok;
        all.events += t.events;
    }
    println!(
        "{:<12} {:>6} {:>8} {:>35}",
        "all",
        all.n,
        percent(all.format_ok, all.n),
        format!("parsed in {:.1} ms", parse_time.as_secs_f64() * 1000.0)
    );

    for (title, list, limit) in [
        ("mis-detected", &misses, show_misses),
        ("missing fields", &field_misses, show_field_misses),
        ("with several events", &several, show_several),
    ] {
        if limit == 0 {
            continue;
        }
        println!("\n{} {title} (showing up to {limit}):", list.len());
        for m in list.iter().take(limit) {
            println!("--- {} labelled {}, got {}", m.case, m.want, m.got);
            println!("{}", m.text);
        }
    }
    Ok(())
}

/// Times the parser on 256 KiB hostile pastes (`--stress`).
fn stress() {
    let size = 256 * 1024;
    let repeat = |s: &str| s.repeat(size / s.len() + 1);
    let cases = [
        ("repeated Event ID lines", repeat("Event ID: 1\n")),
        ("one giant line", repeat("word ")),
        (
            "one giant labelled line",
            repeat("Date: 1 Time: 2 Event ID: 3 Source: 4, "),
        ),
        (
            "CSV quotes",
            format!("Level,Source,Event ID\n{}", repeat("\"\"\",,\n")),
        ),
        (
            "unterminated CSV quote",
            format!("Level,Source,Event ID\n\"{}", repeat("a,b\n")),
        ),
        ("XML brackets", repeat("<<<Event a=\"<")),
        ("XML events", repeat("<Event><EventID>1</EventID></Event>")),
        (
            "Vista description",
            format!(
                "Log Name: A\nSource: B\nEvent ID: 1\nDescription:\n{}",
                repeat("User: x\n")
            ),
        ),
        (
            "Format-List message",
            format!(
                "Id : 1\nMessage : a\n{}",
                repeat("          wrapped text\n")
            ),
        ),
        ("message text", repeat("The widget failed to start. ")),
    ];
    println!("{:<28} {:>8} {:>10}", "256 KiB paste", "events", "ms");
    for (name, text) in &cases {
        let started = Instant::now();
        let events = parse_paste(text);
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        println!("{name:<28} {:>8} {ms:>10.2}", events.len());
    }
    println!();
}
