//! The staff-facing pages over the fixtures: links both ways, escaping, 404s, hostile
//! queries, pagination edges, and the JSON beside each page.

mod common;

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
async fn search_finds_ranks_and_highlights() {
    let app = spawn_app().await;
    let json = app.get("/api/search?q=cc%3AMail+post+office").await.json();
    let results = json["results"].as_array().unwrap();
    assert!(json["total"].as_i64().unwrap() >= 2);
    let ids: Vec<&str> = results.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert!(
        ids.contains(&"Q900068") && ids.contains(&"Q900070"),
        "{ids:?}"
    );
    for r in results {
        for field in ["id", "title", "date", "category", "snippet", "score"] {
            assert!(!r[field].is_null(), "{field} missing in {r}");
        }
    }
    let page = app.get("/search?q=cc%3AMail+post+office").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<mark>"), "no highlighted snippet");
}

#[tokio::test]
async fn an_id_query_goes_to_the_article() {
    let app = spawn_app().await;
    for q in ["Q900068", "900068", "kb900068"] {
        let reply = app.get(&format!("/search?q={q}")).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{q}");
        assert_eq!(reply.location(), "/articles/Q900068");
    }
}

#[tokio::test]
async fn hostile_queries_give_results_or_none_never_500() {
    let app = spawn_app().await;
    let long = "a".repeat(5_000);
    let queries = [
        "%22",
        "%22%22%22",
        "(",
        "NEAR(",
        "NEAR(a+b",
        "AND",
        "OR+AND+NOT",
        "*",
        "a*b",
        "%27%3B+DROP+TABLE+articles%3B+--",
        "title%3Afoo",
        "%5E",
        "-",
        "%00",
        long.as_str(),
        "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    ];
    for q in queries {
        for base in ["/search", "/api/search"] {
            let reply = app.get(&format!("{base}?q={q}")).await;
            assert_eq!(
                reply.status,
                StatusCode::OK,
                "{base}?q={q:.40}: {}",
                reply.body
            );
        }
    }
    let page = app
        .get("/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
        .await;
    assert!(!page.body.contains("<script>alert(1)"));
    assert!(
        page.body.contains("&lt;script&gt;") || page.body.contains("&#60;script&#62;"),
        "the query is not shown back escaped"
    );
}

#[tokio::test]
async fn no_results_pages_help() {
    let app = spawn_app().await;
    let page = app.get("/search?q=zzzqqqxxy").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("No articles"), "{}", page.body);
    assert!(page.body.contains(r#"href="/browse""#));
    let json = app.get("/api/search?q=zzzqqqxxy").await.json();
    assert_eq!(json["total"], 0);
    assert_eq!(json["results"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn filters_narrow_the_results() {
    let app = spawn_app().await;
    let all = app.get("/api/search?q=event").await.json();
    let exchange = app
        .get("/api/search?q=event&category=exchange")
        .await
        .json();
    assert!(exchange["total"].as_i64().unwrap() >= 1);
    assert!(exchange["total"].as_i64() <= all["total"].as_i64());
    for r in exchange["results"].as_array().unwrap() {
        assert_eq!(r["category"], "exchange");
    }
    let xfor = app.get("/api/search?q=event&kind=XFOR").await.json();
    for r in xfor["results"].as_array().unwrap() {
        assert!(r["title"].as_str().unwrap().starts_with("XFOR:"), "{r}");
    }
}

#[tokio::test]
async fn pagination_edges() {
    let mut app = spawn_app().await;
    app.state.config = std::sync::Arc::new(kbfix::web::Config {
        page_size: 2,
        ..Default::default()
    });
    let first = app
        .get("/api/search?q=event+OR+article+OR+the")
        .await
        .json();
    let total = first["total"].as_i64().unwrap();
    assert!(total > 2, "need more than one page, have {total}");
    assert_eq!(first["results"].as_array().unwrap().len(), 2);
    let second = app
        .get("/api/search?q=event+OR+article+OR+the&page=2")
        .await
        .json();
    assert_ne!(first["results"][0]["id"], second["results"][0]["id"]);
    // Past the end, zero and garbage pages are pages too, not errors.
    for page in ["999", "0", "-3", "banana", ""] {
        let reply = app.get(&format!("/search?q=event&page={page}")).await;
        assert_eq!(reply.status, StatusCode::OK, "page={page}");
    }
    let html = app.get("/search?q=event+OR+article+OR+the").await;
    assert!(html.body.contains("page=2"), "no link to the next page");
}

#[tokio::test]
async fn browse_by_category_and_event() {
    let app = spawn_app().await;
    let page = app.get("/browse").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(r#"href="/browse/exchange""#));
    let cat = app.get("/api/browse/exchange").await.json();
    let ids = cat.to_string();
    assert!(ids.contains("Q900068") && ids.contains("Q900070"));
    assert_eq!(
        app.get("/browse/nosuchcategory").await.status,
        StatusCode::NOT_FOUND
    );

    let events = app.get("/events").await;
    assert!(events.body.contains("MSExchangeCCMC"));
    let source = app.get("/events/msexchangeccmc").await;
    assert_eq!(source.status, StatusCode::OK);
    assert!(source.body.contains("68") && source.body.contains("70"));
    let articles = app.get("/api/events/msexchangeccmc/68").await.json();
    assert!(articles.to_string().contains("Q900068"));
    assert_eq!(
        app.get("/events/nosuchsource").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/events/msexchangeccmc/notanumber").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn health_and_home() {
    let app = spawn_app().await;
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
    let home = app.get("/").await;
    assert!(home.body.contains(r#"<textarea"#) && home.body.contains(r#"name="text""#));
    assert!(home.body.contains(r#"action="/troubleshoot""#));
    assert!(home.body.contains(r#"name="q""#));
    let css = app.get("/static/style.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.headers.get("cache-control").is_some());
}

#[tokio::test]
async fn match_api_errors_are_readable() {
    let app = spawn_app().await;
    let empty = app
        .post_json("/api/match", &serde_json::json!({"text": "  "}))
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.json()["error"].as_str().unwrap().contains("empty"));
    let bad = app
        .post_raw("/api/match", "application/json", "{not json".into())
        .await;
    assert!(bad.status.is_client_error(), "{}", bad.status);
    assert!(bad.json()["error"].is_string());
    let big = app
        .post_json(
            "/api/match",
            &serde_json::json!({"text": "x".repeat(300 * 1024)}),
        )
        .await;
    assert_eq!(big.status, StatusCode::PAYLOAD_TOO_LARGE);
    let prose = app
        .post_json(
            "/api/match",
            &serde_json::json!({"text": "my printer makes a noise"}),
        )
        .await;
    assert_eq!(prose.status, StatusCode::OK);
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
