//! Unit tests for `search::query`: what a typed query becomes.

use super::*;

#[test]
fn tells_a_task_from_a_symptom() {
    let cases: &[(&str, bool)] = &[
        ("How do I move the Exchange information store", true),
        ("how to make a program run as a service", true),
        ("is there a way to sync the clocks", true),
        ("step by step roaming profiles", true),
        ("how can I tell which service pack is installed", true),
        ("outlook crashes when I open an attachment", false),
        ("how come word hangs on save", false),
        ("showing the wrong time", false),
        ("", false),
    ];
    for (text, want) in cases {
        assert_eq!(parse(text).howto, *want, "{text:?}");
    }
}

#[test]
fn stopwords_are_sorted_for_binary_search() {
    assert!(STOPWORDS.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn tokens_keep_versions_whole() {
    let cases: &[(&str, &[&str])] = &[
        ("Exchange 5.5 SP4", &["exchange", "5.5", "sp4"]),
        ("cc:Mail, the end.", &["cc", "mail", "the", "end"]),
        ("NT 4.0. Then", &["nt", "4.0", "then"]),
        ("won't", &["won", "t"]),
        ("", &[]),
    ];
    for (text, want) in cases {
        assert_eq!(tokens(text), *want, "{text:?}");
    }
}

#[test]
fn stems_meet() {
    let cases = [
        ("crashes", "crash"),
        ("crashed", "crash"),
        ("crashing", "crash"),
        ("files", "fil"),
        ("file", "fil"),
        ("running", "run"),
        ("installed", "install"),
        ("entries", "entry"),
        ("0x0000007b", "0x0000007b"),
        ("nt", "nt"),
        ("access", "access"),
    ];
    for (word, want) in cases {
        assert_eq!(stem(word), want, "{word}");
    }
}

#[test]
fn parses_queries() {
    let q = parse("the and of");
    assert!(q.only_stopwords);
    assert_eq!(q.groups.len(), 3);

    let q = parse("\"blue screen\" on my NT4 box");
    assert_eq!(
        q.groups[0].alternatives,
        [vec![stem("blue"), stem("screen")]]
    );
    assert!(q.groups[0].quoted);
    let nt4 = &q.groups[1];
    assert_eq!(nt4.text, "nt4");
    assert!(
        nt4.alternatives
            .contains(&vec!["nt".to_string(), "4.0".to_string()])
    );
    assert_eq!(q.groups[2].text, "box");
    assert!(!q.only_stopwords);

    let q = parse("STOP 0x0000007B after setup");
    let code = &q.groups[1];
    assert!(code.alternatives.contains(&vec!["0x7b".to_string()]));
    let q = parse("stop 7b");
    assert!(
        q.groups[1]
            .alternatives
            .contains(&vec!["0x0000007b".to_string()])
    );

    let q = parse("word97 crashes");
    assert!(
        q.groups[0]
            .alternatives
            .contains(&vec!["word".to_string(), "97".to_string()])
    );
    assert!(
        q.groups[1]
            .alternatives
            .contains(&vec!["stop".into(), "respond".into()])
    );

    assert_eq!(parse("Q168465").article, Some(ArticleId(168465)));
    assert_eq!(parse(" kb 168465").article, Some(ArticleId(168465)));
    assert!(parse("\"").groups.is_empty());
    assert!(parse("outlook outlook OUTLOOK").groups.len() == 1);
}

#[test]
fn words_glued_to_the_next_are_offered() {
    let cases: &[(&str, &[&str])] = &[
        ("locked out", &["lockedout", "lockout"]),
        ("log on fails", &["logon"]),
        ("work group", &["workgroup"]),
        ("windows 95", &[]),
        ("setup", &[]),
    ];
    for (text, want) in cases {
        assert_eq!(parse(text).groups[0].joined, *want, "{text}");
    }
}

#[test]
fn keys_ignore_order_case_stopwords_and_endings() {
    let cases = [
        ("Outlook crashes", "crash outlook"),
        ("crashed in OUTLOOK", "crash outlook"),
        ("the outlook crash, outlook", "crash outlook"),
        ("\"blue screen\" nt4", "blu nt4 screen"),
        ("", ""),
    ];
    for (text, want) in cases {
        assert_eq!(parse(text).key(), want, "{text}");
    }
    assert_ne!(
        parse("outlook crash").key(),
        parse("outlook attachment").key()
    );
}
