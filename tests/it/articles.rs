//! Article pages over the fixtures: citations both ways, escaping, canonical ids and 404s,
//! the page's sections, the original text, and pages following a re-import.

use crate::common;

use axum::http::StatusCode;
use common::spawn_app;

#[tokio::test]
async fn citations_link_both_ways() {
    let app = spawn_app().await;
    let page = app.get("/articles/Q900068").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(r#"href="/articles/Q900070""#));

    let back = app.get("/articles/Q900070").await;
    let referenced_by = &back.body[back.body.find("Referenced by").unwrap()..];
    assert!(referenced_by.contains(r#"href="/articles/Q900068""#));

    let json = app.get("/api/articles/Q900070").await.json();
    let ids: Vec<&str> = json["referenced_by"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"Q900068"), "{ids:?}");
    assert!(
        json["references"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == "Q900068")
    );
}

#[tokio::test]
async fn citations_of_missing_articles_are_not_links() {
    let app = spawn_app().await;
    // Q900006 cites Q900007, which is not among the fixtures.
    let page = app.get("/articles/Q900006").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains(r#"href="/articles/Q900007""#));
    assert!(page.body.contains("not in the archive"));
}

#[tokio::test]
async fn article_text_is_escaped() {
    let app = spawn_app().await;
    let page = app.get("/articles/Q900008").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("&lt;your network adapter&gt;"));
    assert!(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!page.body.contains("<script>alert(1)"));
    assert!(!page.body.contains("<your network adapter>"));
    // Its citation of Q900068 is still a link, inside the escaped text.
    assert!(page.body.contains(r#"href="/articles/Q900068""#));
}

#[tokio::test]
async fn ids_are_case_insensitive_and_canonical() {
    let app = spawn_app().await;
    for uri in [
        "/articles/q900068",
        "/articles/900068",
        "/articles/kb900068",
    ] {
        let reply = app.get(uri).await;
        assert!(reply.status.is_redirection(), "{uri}: {}", reply.status);
        assert_eq!(reply.location(), "/articles/Q900068", "{uri}");
    }
}

#[tokio::test]
async fn unknown_and_malformed_ids_are_404_pages_offering_search() {
    let app = spawn_app().await;
    for uri in [
        "/articles/Q123456",
        "/articles/banana",
        "/articles/Q99999999999",
        "/nowhere",
    ] {
        let reply = app.get(uri).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(reply.body.contains(r#"name="q""#), "{uri}: no search box");
    }
    let reply = app.get("/api/articles/Q123456").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.json()["error"].is_string());
}

#[tokio::test]
async fn five_digit_ids_are_written_as_the_archive_writes_them() {
    let app = spawn_app().await;
    let page = app.get("/articles/Q90022").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Q90022"));
    assert!(!page.body.contains("Q090022"));
    for uri in [
        "/articles/Q090022",
        "/articles/KB90022",
        "/articles/kb90022",
        "/articles/90022",
        "/articles/q90022",
    ] {
        let reply = app.get(uri).await;
        assert_eq!(reply.status, StatusCode::PERMANENT_REDIRECT, "{uri}");
        assert_eq!(reply.location(), "/articles/Q90022", "{uri}");
    }
    let reply = app.get("/api/articles/Q090022").await;
    assert_eq!(reply.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(reply.location(), "/api/articles/Q90022");

    // Q900023 cites Q90022 in running text and on a citation line: both directions hold.
    let json = app.get("/api/articles/Q900023").await.json();
    let refs: Vec<(&str, &str)> = json["references"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_str().unwrap(), r["title"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(
        refs,
        [(
            "Q90022",
            "HOWTO: Reset the Fixture Widget Cache from a Program"
        )]
    );
    let json = app.get("/api/articles/Q90022").await.json();
    assert_eq!(json["id"], "Q90022");
    assert_eq!(json["referenced_by"][0]["id"], "Q900023");
    let page = app.get("/articles/Q900023").await;
    assert!(
        page.body
            .contains(r#"<a href="/articles/Q90022">Q90022</a>"#)
    );
}

/// The HTML of one section of an article page, found by its anchor.
fn section<'a>(body: &'a str, anchor: &str) -> &'a str {
    let start = body
        .find(&format!("<section class=\"kb-section\" id=\"{anchor}\">"))
        .unwrap_or_else(|| panic!("no section #{anchor}"));
    let len = body[start..].find("</section>").unwrap();
    &body[start..start + len]
}

#[tokio::test]
async fn article_pages_read_like_articles() {
    let app = spawn_app().await;
    let page = app.get("/articles/Q90022").await;
    let more = section(&page.body, "more-information");
    assert!(more.contains("<p>To reset the cache, follow these steps:</p>"));
    // One list with the article's numbers; a step wrapped onto an unindented line is one item.
    assert_eq!(more.matches("<ol>").count(), 1);
    assert!(more.contains(
        "<li value=\"1\">Close every program that uses widgets, including the tray monitor \
         and the scheduler service.</li>"
    ));
    assert!(more.contains("<li value=\"3\">Call the reset function:"));
    // Lettered sub-steps nest inside step 3.
    let step3 = &more[more.find("<li value=\"3\">").unwrap()..];
    assert!(step3.find("<ol type=\"a\">").unwrap() < step3.find("</li>\n</ol>").unwrap());
    // Listings, INI entries and tables keep their lines and columns.
    assert!(more.contains(
        "<pre>[Cache]\nReset=1\nSharedPath=C:\\Program Files\\Fixture Widgets\\Cache\\Shared\\Default\\Store</pre>"
    ));
    assert!(
        more.contains(
            "{\n   // Zero means the cache was in use.\n   return WidgetReset(0) != 0;\n}"
        )
    );
    assert!(more.contains("WIDGET.DLL     24,576   03-01-94\nWIDGETS.INI     1,024   03-01-94"));
    // Citations in prose are links.
    assert!(more.contains(r#"see <a href="/articles/Q900068">Q900068</a> and"#));
    assert!(page.body.contains(r#"id="summary""#));

    // A quoted event is an event table whose id and source link to their pages.
    let page = app.get("/articles/Q900068").await;
    let symptoms = section(&page.body, "symptoms");
    assert!(symptoms.contains("<dl class=\"event\">"));
    assert!(symptoms.contains(r#"<a href="/events/msexchangeccmc/68">68</a>"#));
    assert!(symptoms.contains(r#"<a href="/events/msexchangeccmc">MSExchangeCCMC</a>"#));
    assert!(!symptoms.contains("<pre>"));
    assert!(page.body.contains(r#"id="cause""#) && page.body.contains(r#"id="resolution""#));
}

#[tokio::test]
async fn plain_text_is_the_original_article() {
    let app = spawn_app().await;
    let reply = app.get("/articles/Q90022.txt").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply.headers[axum::http::header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let original = std::fs::read_to_string(common::fixtures().join("Q90022.TXT")).unwrap();
    assert_eq!(reply.body, original);
    // Q900001 is Windows-1252: served decoded.
    let reply = app.get("/articles/Q900001.txt").await;
    let bytes = std::fs::read(common::fixtures().join("Q900001.TXT")).unwrap();
    assert_eq!(reply.body, kbfix::kb::decode_text(&bytes));

    let page = app.get("/articles/Q90022").await;
    assert!(page.body.contains(r#"href="/articles/Q90022.txt""#));
    let reply = app.get("/articles/Q090022.txt").await;
    assert_eq!(reply.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(reply.location(), "/articles/Q90022.txt");
    assert_eq!(
        app.get("/articles/Q123456.txt").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/articles/%E2%82%AC1.txt").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/articles/%E2%82%AC1").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn an_older_database_reads_and_is_upgraded_by_reimport() {
    let app = spawn_app().await;
    // What a database carried over by migration 0052 holds: the article rows, marked for
    // rewriting, without their packed texts.
    for sql in [
        "UPDATE articles SET content_hash = ''",
        "DELETE FROM article_texts",
    ] {
        sqlx::query(sql).execute(app.store.pool()).await.unwrap();
    }
    // Pages still read (the header); old padded links still lead there.
    let page = app.get("/articles/Q900068").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Q900068"), "{}", page.body);
    assert_eq!(
        app.get("/articles/Q090022").await.location(),
        "/articles/Q90022"
    );
    let reply = app.get("/articles/Q900068.txt").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(
        reply.body.contains("needs importing again"),
        "{}",
        reply.body
    );

    let report = kbfix::import::import_paths(
        &app.store,
        &[common::fixtures()],
        &mut kbfix::import::NoProgress,
    )
    .await
    .unwrap();
    let fixtures = std::fs::read_dir(common::fixtures()).unwrap().count();
    assert_eq!(report.replaced, fixtures);
    let stored = app
        .store
        .article(kbfix::kb::ArticleId(900068))
        .await
        .unwrap();
    assert!(!stored.unwrap().article.sections.is_empty());
    assert_eq!(
        app.get("/articles/Q900068.txt").await.status,
        StatusCode::OK
    );
}

/// Imports a copy of the fixture Q900068 whose title is `title` through `store`.
async fn reimport_q900068_titled(store: &kbfix::store::Store, title: &str) {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(common::fixtures().join("Q900068.TXT")).unwrap();
    let changed = text.replacen(
        "TITLE   :XFOR: Event ID 68 During Directory Exchange with the Mail Bridge",
        &format!("TITLE   :{title}"),
        1,
    );
    assert_ne!(changed, text, "the fixture's title line moved");
    std::fs::write(dir.path().join("Q900068.TXT"), changed).unwrap();
    let report =
        kbfix::import::import_paths(store, &[dir.path().into()], &mut kbfix::import::NoProgress)
            .await
            .unwrap();
    assert_eq!(report.replaced, 1);
}

#[tokio::test]
async fn a_cached_page_follows_a_reimport_on_every_server() {
    let app = spawn_app().await;
    let other = app.second_server(kbfix::web::Config::default()).await;
    // Both servers render and keep the page at the current generation.
    for server in [&app, &other] {
        for _ in 0..2 {
            let page = server.get("/articles/Q900068").await;
            assert!(
                page.body
                    .contains("During Directory Exchange with the Mail Bridge")
            );
        }
    }

    reimport_q900068_titled(
        &app.store,
        "XFOR: Event ID 68 When the Bridge Renames a User",
    )
    .await;
    // The server that imported shows it on the next request.
    let page = app.get("/articles/Q900068").await;
    assert!(
        page.body.contains("When the Bridge Renames a User"),
        "{}",
        page.body
    );
    // The other learns of it from its generation watcher (SQLite polls it every second).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let page = other.get("/articles/Q900068").await;
        if page.body.contains("When the Bridge Renames a User") {
            assert!(!page.body.contains("During Directory Exchange"));
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the second server still serves the page from before the import"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}
