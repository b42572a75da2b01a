//! The staff-facing pages over the fixtures: search, browse, the JSON beside each page,
//! hostile queries, pagination edges, Event Viewer links and the troubleshoot start.

use crate::common;

use axum::http::StatusCode;
use common::spawn_app;

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

// Event Viewer's help link: `/events.asp` with the query strings Event Viewer sends.

/// The article ids of a list of matcher results, in order.
fn result_ids(json: &serde_json::Value) -> Vec<String> {
    json["results"]
        .as_array()
        .unwrap_or_else(|| panic!("no results in {json}"))
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

/// The articles a lookup page lists with a Troubleshoot button, in order.
fn troubleshoot_ids(page: &str) -> Vec<String> {
    page.split(r#"name="troubleshoot" value=""#)
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_string())
        .collect()
}

#[tokio::test]
async fn event_viewer_links_list_the_quoting_article_first() {
    let app = spawn_app().await;
    for uri in [
        // Vista and later.
        "/events.asp?EvtSrc=MSExchangeCCMC&EvtID=68&ProdName=Microsoft%20Exchange&ProdVer=5.5&LCID=1033",
        // XP and Server 2003, through Microsoft's old path.
        "/fwlink/events.asp?EvtSrc=MSExchangeCCMC&EvtID=68&EvtType=Error&ProdName=Microsoft%20Exchange&ProdVer=5.5.2653.23&FileName=ccmc.exe&FileVer=5.5.2653.23&CoName=Microsoft%20Corporation&LCID=1033",
        // Names in any case, a source spelt with other case and spacing.
        "/events.asp?evtsrc=msexchange%20CCMC&EVTID=68&prodname=Microsoft+Exchange&Lcid=1033",
        // The id with its qualifier bits (0xC0000044), as InstanceId carries it.
        "/events.asp?EvtSrc=MSExchangeCCMC&EvtID=3221225540&LCID=1033",
    ] {
        let page = app.get(uri).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}: {}", page.body);
        assert!(page.body.contains("Event 68 from MSExchangeCCMC"), "{uri}");
        let ids = troubleshoot_ids(&page.body);
        assert_eq!(
            ids.first().map(String::as_str),
            Some("Q900068"),
            "{uri}: {ids:?}"
        );
        // The quoted description, to compare with what Event Viewer shows.
        assert!(
            page.body
                .contains("Bridge EXPORT to file BRIDGE.EXP ended with result code 1."),
            "{uri}"
        );
    }
    let xp = app
        .get("/events.asp?EvtSrc=MSExchangeCCMC&EvtID=68&FileName=ccmc.exe&CoName=Microsoft%20Corporation")
        .await;
    assert!(xp.body.contains("ccmc.exe") && xp.body.contains("Microsoft Corporation"));
}

#[tokio::test]
async fn product_and_version_steer_the_ranking() {
    let app = spawn_app().await;
    // Q900071 (Exchange 4.0) and Q900072 (5.5) quote event 4006 alike: the lower number wins
    // the tie until a version says otherwise.
    let base = "/events.asp?EvtSrc=MSExchangeIMC&EvtID=4006";
    let plain = troubleshoot_ids(&app.get(base).await.body);
    assert_eq!(plain[..2], ["Q900071", "Q900072"], "{plain:?}");
    let v55 = format!("{base}&ProdName=Microsoft%20Exchange&ProdVer=5.5&LCID=1033");
    let steered = troubleshoot_ids(&app.get(&v55).await.body);
    assert_eq!(steered[..2], ["Q900072", "Q900071"], "{steered:?}");
    let v40 = format!("{base}&ProdName=Microsoft%20Exchange&ProdVer=4.0.837");
    assert_eq!(troubleshoot_ids(&app.get(&v40).await.body)[0], "Q900071");

    let json = app
        .get("/api/events/lookup?id=4006&source=msexchangeimc&product=Microsoft+Exchange&version=5.5")
        .await
        .json();
    assert_eq!(result_ids(&json)[..2], ["Q900072", "Q900071"], "{json}");
    let why = json["results"][0]["reasons"].to_string();
    assert!(why.contains("Microsoft Exchange 5.5"), "{why}");
}

#[tokio::test]
async fn the_json_twin_ranks_as_api_match_does() {
    let app = spawn_app().await;
    let lookup = app
        .get("/api/events/lookup?id=68&source=MSExchangeCCMC")
        .await;
    assert_eq!(lookup.status, StatusCode::OK, "{}", lookup.body);
    let lookup = lookup.json();
    assert_eq!(lookup["events"][0]["format"], "link");
    assert_eq!(lookup["events"][0]["event_id"], 68);
    // The event's XML carries no message either: /api/match ranks it the same way.
    let xml = r#"<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><Provider Name="MSExchangeCCMC"/><EventID>68</EventID></System></Event>"#;
    let matched = app
        .post_json("/api/match", &serde_json::json!({ "text": xml }))
        .await
        .json();
    assert_eq!(matched["events"][0]["format"], "xml", "{matched}");
    assert_eq!(lookup["results"], matched["results"]);
    assert_eq!(result_ids(&lookup)[0], "Q900068");
    // The page lists the same articles in the same order.
    let page = app.get("/events.asp?EvtID=68&EvtSrc=MSExchangeCCMC").await;
    assert_eq!(troubleshoot_ids(&page.body), result_ids(&lookup));

    for uri in [
        "/api/events/lookup?source=MSExchangeCCMC",
        "/api/events/lookup?id=x&source=MSExchangeCCMC",
        "/api/events/lookup?id=68",
    ] {
        let reply = app.get(uri).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(reply.json()["error"].as_str().unwrap().contains("(id)") || uri.ends_with("=68"));
    }
}

#[tokio::test]
async fn an_unquoted_event_says_so_and_offers_the_source() {
    let app = spawn_app().await;
    let page = app
        .get("/events.asp?EvtSrc=MSExchangeCCMC&EvtID=9999&LCID=1033")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("No article quotes event 9999 from MSExchangeCCMC")
    );
    let about = &page.body[page.body.find("about-source").expect("source articles")..];
    assert!(about.contains(r#"href="/articles/Q900068""#), "{about}");
    assert!(
        page.body
            .contains(r#"name="q" value="MSExchangeCCMC 9999""#)
    );
    // An unknown source: only articles naming the id elsewhere, said to be uncertain.
    let page = app.get("/events.asp?EvtSrc=NoSuchSource&EvtID=68").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("No article quotes event 68 from NoSuchSource")
    );
    assert!(page.body.contains("may describe a different event"));
}

#[tokio::test]
async fn links_without_an_event_get_a_readable_400_with_search() {
    let app = spawn_app().await;
    for (uri, says) in [
        ("/events.asp", "no event id"),
        ("/events.asp?EvtSrc=MSExchangeCCMC", "no event id"),
        ("/events.asp?EvtID=68", "no event source"),
        ("/events.asp?EvtID=&EvtSrc=", "no event id"),
        (
            "/events.asp?EvtID=sixty-eight&EvtSrc=MSExchangeCCMC",
            "not an event id",
        ),
        (
            "/events.asp?EvtID=99999999999&EvtSrc=MSExchangeCCMC",
            "not an event id",
        ),
        ("/events.asp?EvtID=68&EvtSrc=%0D%0A", "no event source"),
        ("/events.asp?EvtID=68&EvtSrc=a%00b", "not an event source"),
    ] {
        let reply = app.get(uri).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(reply.body.contains(says), "{uri}: {}", reply.body);
        assert!(reply.body.contains(r#"name="q""#), "{uri}: no search box");
        assert!(reply.body.contains("<h1>"), "{uri}: not a page");
    }
}

#[tokio::test]
async fn hostile_links_get_a_page_or_a_4xx_and_are_escaped() {
    let app = spawn_app().await;
    let long = "A".repeat(2048);
    let script = "%3Cscript%3Ealert(1)%3C%2Fscript%3E";
    let uris = [
        format!("/events.asp?EvtSrc={long}&EvtID=68"),
        format!("/events.asp?EvtSrc=MSExchangeCCMC&EvtID={long}"),
        format!(
            "/events.asp?EvtSrc=MSExchangeCCMC&EvtID=68&ProdName={long}&ProdVer={long}&FileName={long}"
        ),
        "/events.asp?EvtID=68&EvtID=69&EvtSrc=MSExchangeCCMC&EvtSrc=Other&evtsrc=x&LCID=1&LCID=2"
            .into(),
        "/events.asp?EvtID=68&EvtSrc=%C3%89v%C3%A9nement%20%E6%97%A5%E6%9C%AC&ProdName=%FF%FE"
            .into(),
        format!("/events.asp?EvtID=68&EvtSrc={script}&ProdName={script}&CoName={script}"),
        format!("/events.asp?EvtID={script}&EvtSrc={script}"),
        "/events.asp?EvtID=68&EvtSrc=MSExchangeCCMC&=&&&%&%%&%zz=%zz&EvtType=%".into(),
        format!("/api/events/lookup?id=68&source={long}&product={script}"),
        format!("/api/events/lookup?id=68&id=69&source={script}&source=x"),
    ];
    for uri in &uris {
        let reply = app.get(uri).await;
        let status = reply.status.as_u16();
        assert!(
            status == 200 || (400..500).contains(&status),
            "{uri}: {status}"
        );
        if uri.starts_with("/api/") {
            // JSON is data, not markup: it must be served as JSON.
            let kind = reply.headers[axum::http::header::CONTENT_TYPE]
                .to_str()
                .unwrap();
            assert!(kind.starts_with("application/json"), "{uri}: {kind}");
        } else {
            assert!(
                !reply.body.contains("<script>alert"),
                "{uri}: echoed unescaped"
            );
        }
        assert!(
            !reply.body.contains(&long),
            "{uri}: echoed a 2 KB value whole"
        );
    }
    let repeated = app.get(&uris[3]).await;
    assert_eq!(
        troubleshoot_ids(&repeated.body)[0],
        "Q900068",
        "first sending wins"
    );
    let escaped = app.get(&uris[5]).await;
    assert_eq!(escaped.status, StatusCode::OK);
    assert!(
        escaped
            .body
            .contains("&#60;script&#62;alert(1)&#60;/script&#62;")
    );
}

/// How many wizard sessions the database holds.
async fn sessions(app: &common::TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM wizard_sessions")
        .fetch_one(app.store.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn troubleshoot_starts_the_wizard_at_the_article_with_the_event_recognised() {
    let app = spawn_app().await;
    let uri = "/events.asp?EvtSrc=MSExchangeCCMC&EvtID=68&ProdName=Microsoft%20Exchange&ProdVer=5.5&LCID=1033";
    let page = app.get(uri).await;
    app.get("/api/events/lookup?id=68&source=MSExchangeCCMC")
        .await;
    assert_eq!(sessions(&app).await, 0, "a GET created a session");

    // The first Troubleshoot form on the page, as a browser would post it.
    let form = &page.body[page.body.find(r#"action="/troubleshoot/event""#).unwrap()..];
    let form = &form[..form.find("</form>").unwrap()];
    let mut fields: Vec<(String, String)> = Vec::new();
    for input in form.split("<input").skip(1) {
        let attr = |name: &str| {
            let at = input.find(&format!(r#"{name}=""#)).unwrap() + name.len() + 2;
            input[at..at + input[at..].find('"').unwrap()].to_string()
        };
        fields.push((attr("name"), attr("value")));
    }
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert!(fields.contains(&("article", "Q900068")), "{fields:?}");
    assert!(fields.contains(&("version", "5.5")), "{fields:?}");
    let reply = app.post_form("/troubleshoot/event", &fields).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let id = reply.location().trim_start_matches("/wizard/").to_string();
    assert_eq!(sessions(&app).await, 1);

    let v = app.get(&format!("/api/wizard/{id}")).await.json();
    let kinds: Vec<&str> = v["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    // Reached the article's own first question: nothing asked about the symptom or version.
    assert_eq!(v["step"]["article"], "Q900068", "{v}");
    assert!(
        !["choose_article", "check_symptom", "check_version"]
            .contains(&v["step"]["kind"].as_str().unwrap()),
        "{kinds:?}"
    );
    assert!(
        !kinds.contains(&"check_symptom") && !kinds.contains(&"check_version"),
        "{kinds:?}"
    );
    // The control: the same article started with nothing known asks about them first.
    let plain = app.post_form("/troubleshoot/article/Q900068", &[]).await;
    let plain = app.get(&format!("/api{}", plain.location())).await.json();
    let first = plain["step"]["kind"].as_str().unwrap();
    assert!(
        ["check_symptom", "check_version"].contains(&first),
        "a plain start asks {first}"
    );
    let transcript = app.get(&format!("/wizard/{id}/transcript.txt")).await.body;
    assert!(
        transcript.contains("Event 68 from MSExchangeCCMC"),
        "{transcript}"
    );

    // Without an article, the wizard starts from the event's candidates; a bad form is a 400.
    let reply = app
        .post_form(
            "/troubleshoot/event",
            &[("id", "68"), ("source", "MSExchangeCCMC")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    for bad in [
        vec![("source", "MSExchangeCCMC")],
        vec![
            ("id", "68"),
            ("source", "MSExchangeCCMC"),
            ("article", "banana"),
        ],
    ] {
        let reply = app.post_form("/troubleshoot/event", &bad).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad:?}");
    }
}

/// GET with headers, the body read as bytes.
async fn get_bytes(
    app: &common::TestApp,
    uri: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let mut req = axum::http::Request::get(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = app
        .router()
        .oneshot(req.body(axum::body::Body::empty()).unwrap())
        .await
        .unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, headers, bytes)
}

fn utf16(bytes: &[u8]) -> String {
    assert_eq!(bytes[..2], [0xFF, 0xFE], "no byte-order mark");
    let units: Vec<u16> = bytes[2..]
        .chunks(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    String::from_utf16(&units).unwrap()
}

#[tokio::test]
async fn the_reg_file_points_event_viewer_here() {
    let mut app = spawn_app().await;
    let (status, headers, body) =
        get_bytes(&app, "/eventviewer.reg", &[("host", "kb.example:3914")]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers[axum::http::header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains(".reg")
    );
    let text = utf16(&body);
    assert!(
        text.starts_with("Windows Registry Editor Version 5.00\r\n"),
        "{text}"
    );
    assert!(text.contains(
        r"[HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion\EventViewer]"
    ));
    assert!(
        text.contains("\"MicrosoftRedirectionURL\"=\"http://kb.example:3914/events.asp\"\r\n"),
        "{text}"
    );
    assert!(
        text.contains("\"MicrosoftRedirectionProgram\"=\"\"\r\n"),
        "{text}"
    );

    let (_, _, body) = get_bytes(
        &app,
        "/eventviewer.reg?os=xp",
        &[("host", "kb.example"), ("x-forwarded-proto", "https")],
    )
    .await;
    let text = utf16(&body);
    // X-Forwarded-Proto counts only from a trusted proxy, which an in-process caller is not.
    assert!(
        text.contains("\"MicrosoftRedirectionURL\"=\"http://kb.example/events.asp\""),
        "{text}"
    );
    assert!(text.contains("\"MicrosoftRedirectionProgramCommandLineParameters\"=\"-url hcp://services/redirect?online=\""), "{text}");

    // A Host that would break out of the string is refused with a page, not written.
    let (status, _, body) = get_bytes(&app, "/eventviewer.reg", &[("host", "kb\"x")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(String::from_utf8_lossy(&body).contains("--public-url"));

    // --public-url wins over the Host.
    app.state.config = std::sync::Arc::new(kbfix::web::Config {
        public_url: Some("https://help.example.com/kb/".parse().unwrap()),
        ..Default::default()
    });
    let (_, _, body) = get_bytes(&app, "/eventviewer.reg", &[("host", "internal:3000")]).await;
    assert!(
        utf16(&body)
            .contains("\"MicrosoftRedirectionURL\"=\"https://help.example.com/kb/events.asp\"")
    );
    let help = app.get("/help/event-viewer").await;
    assert_eq!(help.status, StatusCode::OK);
    for needle in [
        "MicrosoftRedirectionURL",
        "https://help.example.com/kb/events.asp",
        "Events.asp URL",
        r#"href="/eventviewer.reg""#,
    ] {
        assert!(help.body.contains(needle), "help page lacks {needle}");
    }
}

#[tokio::test]
async fn troubleshooting_an_event_without_an_article_keeps_the_version_sent() {
    let app = spawn_app().await;
    let fields = [
        ("id", "68"),
        ("source", "MSExchangeCCMC"),
        ("product", "Microsoft Exchange"),
        ("version", "5.5"),
    ];
    let reply = app.post_form("/troubleshoot/event", &fields).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let id = reply.location().trim_start_matches("/wizard/").to_string();
    let v = app.get(&format!("/api/wizard/{id}")).await.json();
    assert_eq!(v["step"]["kind"], "choose_article", "{v}");

    // Choosing the article carries the product and version into its walk: once the
    // symptom is confirmed, the next question is not the version.
    let mut answer = "Q900068";
    let mut kinds = Vec::new();
    for _ in 0..3 {
        let next = app
            .post_json(
                &format!("/api/wizard/{id}/answer"),
                &serde_json::json!({ "answer": answer }),
            )
            .await;
        assert_eq!(next.status, StatusCode::OK, "{}", next.body);
        let step = next.json()["step"].clone();
        kinds.push(step["kind"].as_str().unwrap_or_default().to_string());
        if step["kind"] != "check_symptom" {
            break;
        }
        answer = "yes";
    }
    assert!(!kinds.iter().any(|k| k == "check_version"), "{kinds:?}");
    assert_ne!(kinds.last().map(String::as_str), Some("choose_article"));
}

#[tokio::test]
async fn an_empty_archive_says_how_to_import_it() {
    let (app, _) = common::spawn_app_from(&[]).await;
    let home = app.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("The archive is empty"), "{}", home.body);
    assert!(home.body.contains("kbfix import"), "no import command");
    assert!(home.body.contains("jeffpar/kbarchive"), "no source named");
    for gone in ["0 categories", "action=\"/troubleshoot\"", "Find the fix"] {
        assert!(!home.body.contains(gone), "{gone} on an empty archive");
    }

    let (app, _) = common::spawn_app_from(&[common::fixtures()]).await;
    let home = app.get("/").await;
    assert!(!home.body.contains("The archive is empty"));
    assert!(home.body.contains("action=\"/troubleshoot\""));
}
