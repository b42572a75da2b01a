//! Tests of reading XML pastes.
use super::*;

#[test]
fn entities() {
    let cases = [
        (
            "a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;",
            "a <b> & \"c\" 'd'",
        ),
        ("&#65;&#x42;&#X43;", "ABC"),
        ("AT&T &unknown; &#xD800; &", "AT&T &unknown; &#xD800; &"),
        ("&amp;lt;", "&lt;"),
        ("é&#233;", "éé"),
        ("&#99999999999;", "&#99999999999;"),
    ];
    for (s, want) in cases {
        assert_eq!(decode_entities(s), want, "{s}");
    }
}

#[test]
fn tokens() {
    let toks: Vec<Tok> = Tokens {
        rest: "<?xml v?><!-- c --><e:Event a='1'>x &lt; y<br/><![CDATA[<raw>]]></e:Event>< stray",
    }
    .collect();
    assert_eq!(
        toks,
        vec![
            Tok::Open {
                name: "Event",
                attrs: " a='1'",
                empty: false
            },
            Tok::Text("x &lt; y"),
            Tok::Open {
                name: "br",
                attrs: "",
                empty: true
            },
            Tok::Raw("<raw>"),
            Tok::Close("Event"),
            Tok::Text("< stray"),
        ]
    );
}

#[test]
fn tag_ends() {
    let cases = [
        ("a>", TagEnd::At(1)),
        ("P N=\"<x>\" />", TagEnd::At(11)),
        ("P N='a\"b'>", TagEnd::At(9)),
        ("it's <b>", TagEnd::Stray(5)),
        ("a b", TagEnd::Never),
        ("a=\"open <b>", TagEnd::Never),
    ];
    for (body, want) in cases {
        assert_eq!(tag_end(body), want, "{body}");
    }
}

#[test]
fn attributes() {
    let cases = [
        (" Name=\"Widget\" Guid='{1}'", "Name", Some("Widget")),
        (" Name = 'A &amp; B'", "Name", Some("A & B")),
        (
            " Guid='{1}' EventSourceName=\"Old\"",
            "EventSourceName",
            Some("Old"),
        ),
        (" Name=Widget", "Name", None),
        (" Name=\"unterminated", "Name", Some("unterminated")),
        ("", "Name", None),
    ];
    for (attrs, name, want) in cases {
        assert_eq!(attr(attrs, name).as_deref(), want, "{attrs}");
    }
}

/// (id, source, level, log, computer, time, description)
type Row<'a> = (
    Option<u32>,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
);

#[test]
fn events() {
    let one = "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">\n<System>\n<Provider Name=\"Widget &amp; Co\" />\n<EventID Qualifiers=\"49152\">7001</EventID>\n<Level>2</Level>\n<TimeCreated SystemTime=\"2020-01-02T03:04:05.000Z\" />\n<Channel>System</Channel>\n<Computer>HOST</Computer>\n</System>\n<EventData>\n<Data>HOST</Data>\n<Data>a &amp; b</Data>\n</EventData>\n</Event>";
    let rendered = "<Event><System><Provider Name=\"Microsoft-Windows-Widget\" EventSourceName=\"Widget\"/><EventID>5</EventID><Level>0</Level><Keywords>0x8010000000000000</Keywords></System><RenderingInfo Culture=\"en-US\"><Message>It &lt;broke&gt;.</Message><Level>Error</Level><Task>Disk</Task></RenderingInfo></Event>";
    let two = format!("<Events>{one}{one}</Events>");
    let bare =
        "<System><Provider Name='<Widget name>'/><EventID>9</EventID><Level>4</Level></System>";
    let cases: [(&str, Vec<Row>); 5] = [
        (
            one,
            vec![(
                Some(7001),
                Some("Widget & Co"),
                Some("Error"),
                Some("System"),
                Some("HOST"),
                Some("2020-01-02T03:04:05.000Z"),
                Some("HOST a & b"),
            )],
        ),
        (
            rendered,
            vec![(
                Some(5),
                Some("Widget"),
                Some("Error"),
                None,
                None,
                None,
                Some("It <broke>."),
            )],
        ),
        (
            two.as_str(),
            vec![
                (
                    Some(7001),
                    Some("Widget & Co"),
                    Some("Error"),
                    Some("System"),
                    Some("HOST"),
                    Some("2020-01-02T03:04:05.000Z"),
                    Some("HOST a & b"),
                ),
                (
                    Some(7001),
                    Some("Widget & Co"),
                    Some("Error"),
                    Some("System"),
                    Some("HOST"),
                    Some("2020-01-02T03:04:05.000Z"),
                    Some("HOST a & b"),
                ),
            ],
        ),
        (
            bare,
            vec![(
                Some(9),
                Some("<Widget name>"),
                Some("Information"),
                None,
                None,
                None,
                None,
            )],
        ),
        ("<p>not an event</p>", vec![]),
    ];
    for (text, want) in cases {
        let got = parse(text, true);
        let got: Vec<Row> = got
            .iter()
            .map(|e| {
                (
                    e.event_id,
                    e.source.as_deref(),
                    e.level.as_deref(),
                    e.log.as_deref(),
                    e.computer.as_deref(),
                    e.time.as_deref(),
                    e.description.as_deref(),
                )
            })
            .collect();
        assert_eq!(got, want, "{text}");
        assert!(
            parse(text, true)
                .iter()
                .all(|e| e.format == PasteFormat::Xml)
        );
    }
    // Without `data_text` the insertion strings are not a description.
    assert_eq!(parse(one, false)[0].description, None);
}

#[test]
fn audit_levels() {
    let cases = [
        ("0", Some("0x8020000000000000"), Some("Audit Success")),
        ("0", Some("0x8010000000000000"), Some("Audit Failure")),
        ("0", None, Some("Information")),
        ("3", None, Some("Warning")),
        ("x", None, None),
        ("9", None, None),
    ];
    for (level, kw, want) in cases {
        assert_eq!(level_name(level, kw).as_deref(), want);
    }
}
