//! Table tests of the block cutter, over invented text in the archive's layout.

use super::*;

fn para(s: &str) -> Block {
    Block::Paragraph { text: s.into() }
}

fn heading(s: &str) -> Block {
    Block::Heading { text: s.into() }
}

fn pre(lines: &[&str]) -> Block {
    Block::Preformatted {
        lines: lines.iter().map(|s| s.to_string()).collect(),
    }
}

fn item(number: Option<u32>, text: &str, blocks: Vec<Block>) -> Item {
    Item {
        number,
        text: text.into(),
        blocks,
    }
}

fn steps(items: &[(u32, &str)]) -> Block {
    Block::Steps {
        lettered: false,
        items: items
            .iter()
            .map(|&(n, t)| item(Some(n), t, vec![]))
            .collect(),
    }
}

fn bullets(items: &[&str]) -> Block {
    Block::Bullets {
        items: items.iter().map(|t| item(None, t, vec![])).collect(),
    }
}

#[test]
fn markers() {
    let cases = [
        (
            "1. Start it",
            Some((ListKind::Steps, 0, Some(1), false, "Start it")),
        ),
        (
            "  12) Then",
            Some((ListKind::Steps, 2, Some(12), false, "Then")),
        ),
        (
            "   b. Sub step",
            Some((ListKind::Steps, 3, Some(2), true, "Sub step")),
        ),
        (
            " - A cause",
            Some((ListKind::Bullets, 1, None, false, "A cause")),
        ),
        (
            "    *\tStar",
            Some((ListKind::Bullets, 4, None, false, "Star")),
        ),
        ("3.50 is a version", None),
        ("123. too long", None),
        ("i.e. not a step", None),
        ("A. capital", None),
        ("-- dash", None),
        ("-1 minus", None),
        ("- ", None),
        ("1.", None),
        ("", None),
        ("\u{e9}. accented", None),
    ];
    for (line, want) in cases {
        let got = marker(line).map(|m| (m.kind, m.indent, m.number, m.lettered, m.rest));
        assert_eq!(got, want, "{line:?}");
    }
}

#[test]
fn layout_lines() {
    let cases = [
        ("+------+-----+", true),
        ("| Name | Ver |", true),
        ("   -----------", true),
        ("Name.dll     1.0.2", true),
        ("   x = f(y);", true),
        ("{", true),
        ("   }", true),
        ("#include <stdio.h>", true),
        ("HKEY_LOCAL_MACHINE\\Software\\Fixture", true),
        ("[Settings]", true),
        ("Timeout=30", true),
        ("C:\\>dir /s", true),
        ("a\tb", true),
        ("Smsman.exe", true),
        ("SMS\\Bin\\I386", true),
        ("Windows.", false),
        ("5.5", false),
        ("This is prose.  Two spaces after a stop are fine.", false),
        ("If x = 1 then the value is used.", false),
        ("", false),
    ];
    for (line, want) in cases {
        assert_eq!(is_layout_line(line), want, "{line:?}");
    }
}

fn cut(src: &str) -> Vec<Block> {
    let lines: Vec<&str> = src.lines().collect();
    split_blocks(&lines)
}

#[test]
fn paragraphs_headings_and_simple_lists() {
    let cases: Vec<(&str, Vec<Block>)> = vec![
        ("", vec![]),
        (
            "One\ntwo.\n\nThree.",
            vec![para("One two."), para("Three.")],
        ),
        (
            "Do this:\n\n1. First step\n   wraps here.\n\n2. Second.\n\n3. Third.\n\nAfter.",
            vec![
                para("Do this:"),
                steps(&[(1, "First step wraps here."), (2, "Second."), (3, "Third.")]),
                para("After."),
            ],
        ),
        // A step's text wrapping onto an unindented line is rejoined.
        (
            "1. Click the fixture button and\nthen wait.\n2. Done.",
            vec![steps(&[
                (1, "Click the fixture button and then wait."),
                (2, "Done."),
            ])],
        ),
        // The article's own numbers are kept; a step numbered 1 starts a new list.
        (
            "3. c\n4. d\n\n1. again",
            vec![steps(&[(3, "c"), (4, "d")]), steps(&[(1, "again")])],
        ),
        (
            "1. a\n2. b\n - c\n - d",
            vec![steps(&[(1, "a"), (2, "b")]), bullets(&["c", "d"])],
        ),
        (
            "Sub heading\n-----------\ntext here",
            vec![heading("Sub heading"), para("text here")],
        ),
        ("Price is\n- 5 dollars", vec![para("Price is - 5 dollars")]),
        (
            "Steps:\n1. a\n2. b",
            vec![para("Steps:"), steps(&[(1, "a"), (2, "b")])],
        ),
        ("List:\n - a", vec![para("List:"), bullets(&["a"])]),
    ];
    for (src, want) in cases {
        assert_eq!(cut(src), want, "{src:?}");
    }
}

#[test]
fn nested_items() {
    let cases: Vec<(&str, Vec<Block>)> = vec![
        (
            " - One.\n\n - Two\n   wrapped.\n\n   A note under two, long enough to be prose.\n\n   -or-\n\n - Three.",
            vec![Block::Bullets {
                items: vec![
                    item(None, "One.", vec![]),
                    item(
                        None,
                        "Two wrapped.",
                        vec![
                            para("A note under two, long enough to be prose."),
                            para("-or-"),
                        ],
                    ),
                    item(None, "Three.", vec![]),
                ],
            }],
        ),
        (
            "1. Outer step:\n\n   a. Inner one.\n\n   b. Inner two.\n\n2. Next",
            vec![Block::Steps {
                lettered: false,
                items: vec![
                    item(
                        Some(1),
                        "Outer step:",
                        vec![Block::Steps {
                            lettered: true,
                            items: vec![
                                item(Some(1), "Inner one.", vec![]),
                                item(Some(2), "Inner two.", vec![]),
                            ],
                        }],
                    ),
                    item(Some(2), "Next", vec![]),
                ],
            }],
        ),
        (
            "1. Type this code:\n\n      int f(void)\n      {\n\n         return 0;\n      }\n\n2. Build it.",
            vec![Block::Steps {
                lettered: false,
                items: vec![
                    item(
                        Some(1),
                        "Type this code:",
                        vec![pre(&["int f(void)", "{", "", "   return 0;", "}"])],
                    ),
                    item(Some(2), "Build it.", vec![]),
                ],
            }],
        ),
    ];
    for (src, want) in cases {
        assert_eq!(cut(src), want, "{src:?}");
    }
}

#[test]
fn preformatted_runs() {
    let cases: Vec<(&str, Vec<Block>)> = vec![
        // A listing with a blank line inside stays one block, its indentation relative.
        (
            "For example:\n\n   void g()\n   {\n\n      h();\n   }\n\nAfter it.",
            vec![
                para("For example:"),
                pre(&["void g()", "{", "", "   h();", "}"]),
                para("After it."),
            ],
        ),
        // Prose straight above an indented listing, without a blank line between.
        (
            "Add this line:\n   Fixture=1",
            vec![para("Add this line:"), pre(&["Fixture=1"])],
        ),
        // A bordered table at the margin.
        (
            "Files:\n\n+------+-----+\n| A.dll | 1.0 |\n+------+-----+",
            vec![
                para("Files:"),
                pre(&["+------+-----+", "| A.dll | 1.0 |", "+------+-----+"]),
            ],
        ),
        // Columns aligned by spaces, with a rule under the header.
        (
            "  Date    Size   Name\n  -------------------\n  1/1/99  1,024  A.dll",
            vec![pre(&[
                "Date    Size   Name",
                "-------------------",
                "1/1/99  1,024  A.dll",
            ])],
        ),
        // Quoted event fields and a command line are kept; a citation line is prose.
        (
            "The log shows:\n\n   Event ID: 9\n   Source: Fixture\n\nRun:\n\n   net stop fixture\n\nSee:\n\n   Q900001 Fixture Title",
            vec![
                para("The log shows:"),
                pre(&["Event ID: 9", "Source: Fixture"]),
                para("Run:"),
                pre(&["net stop fixture"]),
                para("See:"),
                para("Q900001 Fixture Title"),
            ],
        ),
        // A file list under a label, at the margin and indented.
        (
            "Copy these:\n\nA.dll\nB.exe\n\nFolder\\Sub:\n\n   C.ini\n   D.sys",
            vec![
                para("Copy these:"),
                pre(&["A.dll", "B.exe"]),
                para("Folder\\Sub:"),
                pre(&["C.ini", "D.sys"]),
            ],
        ),
        // An indented sentence is a paragraph; a registry path at the margin is not.
        (
            "   This indented sentence is plain prose and nothing else.\n\nHKEY_LOCAL_MACHINE\\Fixture",
            vec![
                para("This indented sentence is plain prose and nothing else."),
                pre(&["HKEY_LOCAL_MACHINE\\Fixture"]),
            ],
        ),
    ];
    for (src, want) in cases {
        assert_eq!(cut(src), want, "{src:?}");
    }
}

#[test]
fn words_are_kept() {
    let src =
        "Intro line\nwraps.\n\nSub\n---\n\n1. a\n   b\n\n   x = 1;\n\n - c\n\n   +--+\n   |d |\n";
    let blocks = cut(src);
    let got: Vec<String> = blocks.iter().map(Block::plain_text).collect();
    let want: Vec<&str> = src
        .lines()
        .filter(|l| !is_rule(l, '-', 3))
        .flat_map(|l| l.split_whitespace())
        .filter(|w| !["1.", "-"].contains(w))
        .collect();
    assert_eq!(got.join(" "), want.join(" "));
}

#[test]
fn serializes_by_kind() {
    let b = vec![
        para("p"),
        Block::Steps {
            lettered: false,
            items: vec![item(Some(2), "s", vec![pre(&["x"])])],
        },
        bullets(&["b"]),
    ];
    let json = serde_json::to_string(&b).unwrap();
    assert_eq!(
        json,
        r#"[{"kind":"paragraph","text":"p"},{"kind":"steps","items":[{"number":2,"text":"s","blocks":[{"kind":"preformatted","lines":["x"]}]}]},{"kind":"bullets","items":[{"text":"b"}]}]"#
    );
    assert_eq!(serde_json::from_str::<Vec<Block>>(&json).unwrap(), b);
}

#[test]
fn never_panics_on_odd_text() {
    for src in [
        "\u{e9}. x",
        "1.\u{a0}x",
        "- \u{20ac}",
        "  \t\n\t-\t\u{1f600}",
        "a)",
        "\u{a0}a;\n b;",
        "\u{2003}\u{a0}x = 1;\n  y = 2;\n\u{3000}z;",
    ] {
        let _ = cut(src);
    }
    // A no-break space in the indentation is kept or cut whole, never split.
    assert_eq!(cut("\u{a0}a;\n b;"), [pre(&["\u{a0}a;", "b;"])]);
}
