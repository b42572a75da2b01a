//! Prints how the parser cuts articles into blocks, for checking the layout rules by eye:
//! `cargo run --example show_blocks -- txt/177/Q177103.TXT [...]`.

use kbfix::kb::{Block, parse_article};

fn show(blocks: &[Block], depth: usize) {
    let pad = "    ".repeat(depth);
    for b in blocks {
        match b {
            Block::Paragraph { text } => println!("{pad}P  {text}"),
            Block::Heading { text } => println!("{pad}H  {text}"),
            Block::Preformatted { lines } => {
                for l in lines {
                    println!("{pad}|  {l}");
                }
            }
            Block::Steps { items, .. } | Block::Bullets { items } => {
                for item in items {
                    let marker = item.number.map_or("-".to_string(), |n| format!("{n}."));
                    println!("{pad}{marker} {}", item.text);
                    show(&item.blocks, depth + 1);
                }
            }
        }
    }
}

fn main() {
    for path in std::env::args().skip(1) {
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        match parse_article(&bytes) {
            Ok(a) => {
                println!("=== {} {}", a.id, a.title);
                for s in &a.sections {
                    println!("## {}", s.heading);
                    show(&s.blocks, 0);
                }
            }
            Err(e) => eprintln!("{path}: {e}"),
        }
    }
}
