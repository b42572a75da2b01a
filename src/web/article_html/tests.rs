//! Table tests of the block renderer, over invented blocks.

use super::*;

fn para(s: &str) -> Block {
    Block::Paragraph { text: s.into() }
}

fn item(number: Option<u32>, text: &str, blocks: Vec<Block>) -> Item {
    Item {
        number,
        text: text.into(),
        blocks,
    }
}

fn render(blocks: &[Block]) -> String {
    let present: HashSet<ArticleId> = [ArticleId(166045), ArticleId(10022)].into_iter().collect();
    render_blocks(blocks, &Links { present: &present })
}

#[test]
fn renders_each_kind() {
    let cases: Vec<(Vec<Block>, &str)> = vec![
        (
            vec![para("see Q166045 and Q10022 now")],
            "<p>see <a href=\"/articles/Q166045\">Q166045</a> and <a href=\"/articles/Q10022\">Q10022</a> now</p>\n",
        ),
        (
            vec![para("Q999999.")],
            "<p><span class=\"missing\" title=\"Q999999 is not in the archive\">Q999999</span>.</p>\n",
        ),
        (
            vec![para("<your adapter> & \"x\"")],
            "<p>&lt;your adapter&gt; &amp; &quot;x&quot;</p>\n",
        ),
        (
            vec![Block::Heading { text: "Sub".into() }],
            "<h3>Sub</h3>\n",
        ),
        (
            vec![Block::Steps {
                lettered: false,
                items: vec![
                    item(Some(3), "Three", vec![]),
                    item(
                        Some(4),
                        "Four:",
                        vec![Block::Steps {
                            lettered: true,
                            items: vec![item(Some(1), "a one", vec![])],
                        }],
                    ),
                ],
            }],
            "<ol>\n<li value=\"3\">Three</li>\n<li value=\"4\">Four:\n<ol type=\"a\">\n<li value=\"1\">a one</li>\n</ol>\n</li>\n</ol>\n",
        ),
        (
            vec![Block::Bullets {
                items: vec![item(None, "b", vec![])],
            }],
            "<ul>\n<li>b</li>\n</ul>\n",
        ),
        (
            vec![Block::Preformatted {
                lines: vec!["if (a < b)".into(), "   f(Q166045);".into()],
            }],
            "<pre>if (a &lt; b)\n   f(<a href=\"/articles/Q166045\">Q166045</a>);</pre>\n",
        ),
    ];
    for (blocks, want) in cases {
        assert_eq!(render(&blocks), want, "{blocks:?}");
    }
}

#[test]
fn event_quotes_become_event_tables() {
    let lines: Vec<String> = [
        "Event ID: 68",
        "Source: Fixture Svc",
        "Description: It broke",
        "and stayed broken.",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let html = render(&[Block::Preformatted { lines }]);
    assert_eq!(
        html,
        "<dl class=\"event\">\n\
         <dt>Event ID:</dt><dd><a href=\"/events/fixturesvc/68\">68</a></dd>\n\
         <dt>Source:</dt><dd><a href=\"/events/fixturesvc\">Fixture Svc</a></dd>\n\
         <dt>Description:</dt><dd>It broke and stayed broken.</dd>\n\
         </dl>\n"
    );
    // Without an id it is just preformatted text.
    let html = render(&[Block::Preformatted {
        lines: vec!["Source: x".into()],
    }]);
    assert_eq!(html, "<pre>Source: x</pre>\n");
}

#[test]
fn anchors_are_stable_slugs() {
    let got = anchors(
        [
            "",
            "SYMPTOMS",
            "CAUSE",
            "MORE INFORMATION",
            "CAUSE",
            "3. NOTES",
        ]
        .into_iter(),
    );
    assert_eq!(
        got,
        [
            "summary",
            "symptoms",
            "cause",
            "more-information",
            "cause-2",
            "3-notes"
        ]
    );
}
