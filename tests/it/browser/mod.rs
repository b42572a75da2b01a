//! Walks through the app in a real browser (headless Debian chromium via chromedriver and
//! fantoccini): search from the home page, open an article, follow a citation and its
//! "Referenced by" link back; paste a German, a Japanese and a flattened one-line event and
//! reach the article about it; troubleshoot a pasted event through the wizard, pressing Back,
//! Forward and Reload at every step; and check a 375 px wide phone screen never scrolls
//! sideways, wizard steps included.
//! Screenshots land in `target/browser-screenshots/`.

use crate::common;
/// Event Viewer's help link, clicked through to the wizard.
mod eventviewer;

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

const CHROMIUM: &str = "/usr/bin/chromium";

/// A chromedriver child process on a free port, killed on drop, and where screenshots go.
/// One per test run: sessions come from it one after the other (see `browser_walks`).
struct Browser {
    driver: Child,
    url: String,
    screenshots: PathBuf,
    /// Fresh profiles, one per session, removed with the browser.
    profiles: Vec<TempDir>,
}

impl Browser {
    /// Starts chromedriver and waits until it accepts connections.
    fn start() -> Browser {
        let which = |name: &str| {
            std::env::var_os("PATH")
                .and_then(|paths| {
                    std::env::split_paths(&paths)
                        .map(|d| d.join(name))
                        .find(|p| p.is_file())
                })
                .is_some()
        };
        assert!(
            which("chromedriver") && PathBuf::from(CHROMIUM).is_file(),
            "the browser tests need chromium and chromedriver: run .ci/run, or \
             `apt-get install chromium chromium-driver`"
        );
        let port = free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
            assert!(
                Instant::now() < deadline,
                "chromedriver did not start in 30 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let screenshots =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/browser-screenshots");
        std::fs::create_dir_all(&screenshots).unwrap();
        Browser {
            driver,
            url: format!("http://127.0.0.1:{port}"),
            screenshots,
            profiles: Vec::new(),
        }
    }

    /// A new headless session; `phone` emulates a device that many CSS pixels wide.
    async fn session(&mut self, phone: Option<u32>) -> Client {
        let profile = tempfile::tempdir().unwrap();
        let mut options = json!({
            "binary": CHROMIUM,
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                format!("--user-data-dir={}", profile.path().display()),
            ],
        });
        if let Some(width) = phone {
            options["mobileEmulation"] =
                json!({ "deviceMetrics": { "width": width, "height": 812, "pixelRatio": 2.0 } });
        }
        self.profiles.push(profile);
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("chrome"));
        caps.insert("goog:chromeOptions".into(), options);
        ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&self.url)
            .await
            .expect("a chromium session")
    }

    /// Runs `walk` in a session and closes the session even when the walk fails, so no
    /// browser outlives the test; then passes the failure on.
    async fn walk<F, Fut>(&mut self, phone: Option<u32>, walk: F)
    where
        F: FnOnce(Shots, Client) -> Fut,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        let client = self.session(phone).await;
        let outcome = tokio::spawn(walk(Shots(self.screenshots.clone()), client.clone())).await;
        client.close().await.expect("close the session");
        if let Err(e) = outcome {
            std::panic::resume_unwind(e.into_panic());
        }
    }
}

/// Where screenshots go.
#[derive(Clone)]
struct Shots(PathBuf);

impl Shots {
    /// Saves the page as `target/browser-screenshots/NAME.png`.
    async fn take(&self, client: &Client, name: &str) {
        let png = client.screenshot().await.expect("screenshot");
        assert!(png.starts_with(b"\x89PNG"), "not a PNG");
        std::fs::write(self.0.join(format!("{name}.png")), png).unwrap();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Only our own child: its id, not a process name.
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Clicks `element` and waits until the browser has left the current page.
async fn click_and_wait(client: &Client, locator: Locator<'_>) {
    let before = client.current_url().await.unwrap();
    client
        .find(locator)
        .await
        .unwrap_or_else(|e| panic!("{locator:?} not on {before}: {e}"))
        .click()
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    while client.current_url().await.unwrap() == before {
        assert!(
            Instant::now() < deadline,
            "still on {before} 15 s after the click"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // The new document has loaded once it is complete.
    while eval(client, "return document.readyState;").await != "complete" {
        assert!(
            Instant::now() < deadline,
            "the page after {before} never loaded"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn path_of(client: &Client) -> String {
    let url = client.current_url().await.unwrap();
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    }
}

async fn eval(client: &Client, script: &str) -> Value {
    client.execute(script, vec![]).await.unwrap()
}

/// The stylesheet loaded and applied: the CSP and the served content type let it through.
async fn assert_styled(client: &Client, page: &str) {
    let rules = eval(
        client,
        "const s = document.styleSheets[0]; return s ? s.cssRules.length : 0;",
    )
    .await;
    assert!(
        rules.as_u64().unwrap_or(0) > 0,
        "{page}: no stylesheet rules"
    );
}

/// The walk a helpdesk user takes: search, read, follow citations both ways.
async fn staff_walk(shots: Shots, client: Client, base: String) {
    let client = &client;
    client.goto(&format!("{base}/")).await.unwrap();
    assert_styled(client, "home").await;
    shots.take(client, "home").await;

    let q = client.find(Locator::Id("home-q")).await.unwrap();
    q.send_keys("cc:Mail post office").await.unwrap();
    click_and_wait(client, Locator::Css("#home-q ~ button[type=submit]")).await;
    let path = path_of(client).await;
    assert!(path.starts_with("/search?q=cc%3AMail"), "{path}");
    let hits = client.find_all(Locator::Css("ol.results a")).await.unwrap();
    assert!(!hits.is_empty(), "no results on the page");
    shots.take(client, "search").await;

    click_and_wait(
        client,
        Locator::Css(r#"ol.results a[href="/articles/Q900068"]"#),
    )
    .await;
    assert_eq!(path_of(client).await, "/articles/Q900068");
    let h1 = client
        .find(Locator::Css("h1"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(h1.contains("Event ID 68"), "{h1}");
    assert_styled(client, "article").await;
    shots.take(client, "article").await;

    // The citation in "Cites", then the way back through "Referenced by".
    click_and_wait(
        client,
        Locator::XPath("//section[h2='Cites']//a[@href='/articles/Q900070']"),
    )
    .await;
    assert_eq!(path_of(client).await, "/articles/Q900070");
    shots.take(client, "cited").await;
    click_and_wait(
        client,
        Locator::XPath("//section[h2='Referenced by']//a[@href='/articles/Q900068']"),
    )
    .await;
    assert_eq!(path_of(client).await, "/articles/Q900068");

    // The search box in the header works from any page.
    let q = client.find(Locator::Id("site-q")).await.unwrap();
    q.send_keys("Q900070").await.unwrap();
    click_and_wait(client, Locator::Css("form.quicksearch button[type=submit]")).await;
    assert_eq!(path_of(client).await, "/articles/Q900070");
}

/// On a phone-width screen no page scrolls sideways.
async fn phone_walk(shots: Shots, client: Client, base: String, width: u32) {
    let client = &client;
    for (name, path) in [
        ("phone-home", "/"),
        ("phone-article", "/articles/Q900068"),
        ("phone-article-escaped", "/articles/Q900008"),
        ("phone-article-listing", "/articles/Q90022"),
        ("phone-search", "/search?q=event"),
        ("phone-events", "/events/msexchangeccmc"),
    ] {
        client.goto(&format!("{base}{path}")).await.unwrap();
        assert_fits(&shots, client, path, name, width).await;
    }
    // Preformatted lines wider than the screen scroll inside their own box, which itself
    // fits; the prose around them wraps.
    client
        .goto(&format!("{base}/articles/Q90022"))
        .await
        .unwrap();
    let pres = eval(
        client,
        "return Array.from(document.querySelectorAll('.kb-section pre')).map(p => \
         [p.getBoundingClientRect().right, p.scrollWidth > p.clientWidth]);",
    )
    .await;
    let pres = pres.as_array().unwrap();
    assert!(!pres.is_empty(), "no <pre> on the listing article");
    for p in pres {
        assert!(
            p[0].as_f64().unwrap() <= f64::from(width),
            "a <pre> box overflows the screen: {p}"
        );
    }
    assert!(
        pres.iter().any(|p| p[1] == true),
        "the long INI line should scroll inside its <pre>: {pres:?}"
    );
    // The paste form is there and usable at this width.
    client.goto(&format!("{base}/")).await.unwrap();
    let width_of_textarea = eval(
        client,
        "return document.querySelector('textarea[name=text]').getBoundingClientRect().right;",
    )
    .await;
    assert!(
        width_of_textarea.as_f64().unwrap() <= f64::from(width),
        "the paste box overflows: {width_of_textarea}"
    );
}

/// What identifies a wizard page as shown: its kind, its "Step N" line and its heading.
#[derive(Debug, Clone, PartialEq)]
struct Shown {
    path: String,
    kind: String,
    step: String,
    h1: String,
}

/// Waits until the document is complete (after a navigation the driver may return early).
async fn wait_loaded(client: &Client, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while eval(client, "return document.readyState;").await != "complete" {
        assert!(Instant::now() < deadline, "{what}: the page never loaded");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The wizard page in the browser, or a failure naming `what` when it is not one (an error
/// page, the home page, a page of another session).
async fn shown(client: &Client, what: &str) -> Shown {
    wait_loaded(client, what).await;
    let path = path_of(client).await;
    let page = eval(
        client,
        "const w = document.querySelector('.wizard[data-kind]');
         const s = document.querySelector('.wizard .article-id');
         const h = document.querySelector('h1');
         return [w ? w.dataset.kind : null, s ? s.textContent : '', h ? h.textContent : '',
                 !!document.querySelector('.error-message')];",
    )
    .await;
    let h1 = page[2].as_str().unwrap_or_default().trim().to_string();
    assert!(
        page[0].is_string(),
        "{what}: {path} is not a wizard page (heading {h1:?})"
    );
    assert_eq!(page[3], false, "{what}: {path} shows an error: {h1}");
    Shown {
        kind: page[0].as_str().unwrap().to_string(),
        // "Step 3" or "Step 1 (earlier step; ...)": the number is what identifies it.
        step: page[1]
            .as_str()
            .unwrap_or_default()
            .split_whitespace()
            .take(2)
            .collect::<Vec<_>>()
            .join(" "),
        h1,
        path,
    }
}

/// Clicks a button that posts a form answered by a redirect to the same URL, and waits for
/// the new document: a marker set on the old one is gone and the new one is complete.
async fn click_submit(client: &Client, locator: Locator<'_>, what: &str) {
    eval(client, "window.kbfixOld = true; return null;").await;
    client
        .find(locator)
        .await
        .unwrap_or_else(|e| panic!("{what}: {locator:?} not on the page: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("{what}: clicking {locator:?}: {e}"));
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        // A navigation in progress can fail a script: retry until the new page answers.
        let old = client
            .execute("return window.kbfixOld === true;", vec![])
            .await;
        if let Ok(Value::Bool(false)) = old {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{what}: no new page 15 s after clicking {locator:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    wait_loaded(client, what).await;
}

/// What a person does with a wizard step before answering it: a screenshot, the browser's
/// Back (which must show a page of this session or the paste form, never an error), Forward
/// back to the step, and Reload, which must show the same step without resubmitting.
/// Returns the step as shown; `n` numbers the screenshots.
async fn visit_step(shots: &Shots, client: &Client, session: &str, n: usize) -> Shown {
    let here = shown(client, &format!("step {n}")).await;
    let what = format!("step {n} ({})", here.kind);
    assert!(
        here.path == session || here.path.starts_with(&format!("{session}/step/")),
        "{what}: {} is not a URL of this session",
        here.path
    );
    shots
        .take(client, &format!("wizard-{n:02}-{}", here.kind))
        .await;

    client
        .back()
        .await
        .unwrap_or_else(|e| panic!("{what}: back: {e}"));
    wait_loaded(client, &what).await;
    let back_path = path_of(client).await;
    if back_path == "/" {
        // Before the first step: the paste form, whatever the browser kept in it.
        let form = client
            .find(Locator::Css("form.paste textarea[name=text]"))
            .await;
        assert!(form.is_ok(), "{what}: Back shows / without the paste form");
    } else {
        let back = shown(client, &format!("{what}, after Back")).await;
        assert!(
            back.path == session || back.path.starts_with(&format!("{session}/step/")),
            "{what}: Back went to {} which is not this session",
            back.path
        );
        let number = |s: &Shown| s.step.trim_start_matches("Step ").parse::<usize>().ok();
        // Each answer lands on the new step's own URL, so Back shows the step before it.
        assert!(
            number(&back).is_some_and(|b| Some(b) < number(&here)),
            "{what}: Back shows {back:?}, not an earlier step"
        );
    }

    client
        .forward()
        .await
        .unwrap_or_else(|e| panic!("{what}: forward: {e}"));
    wait_loaded(client, &what).await;
    if path_of(client).await != here.path {
        // Some histories end at Back: re-open the current step as a person would.
        client
            .goto(&format!("{}{}", base_of(client).await, here.path))
            .await
            .unwrap();
    }
    let again = shown(client, &format!("{what}, after Back and Forward")).await;
    assert_eq!(again, here, "{what}: Forward shows another step");

    client
        .refresh()
        .await
        .unwrap_or_else(|e| panic!("{what}: reload: {e}"));
    let reloaded = shown(client, &format!("{what}, after Reload")).await;
    assert_eq!(reloaded, here, "{what}: Reload shows another step");
    here
}

/// `http://host:port` of the page shown.
async fn base_of(client: &Client) -> String {
    let url = client.current_url().await.unwrap();
    url.origin().ascii_serialization()
}

/// The values of the answer buttons on the page, in order.
async fn answers_offered(client: &Client) -> Vec<String> {
    let v = eval(
        client,
        "return [...document.querySelectorAll('form.answer button[name=answer]')]
                .map(b => b.value);",
    )
    .await;
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap_or_default().to_string())
        .collect()
}

async fn answer(client: &Client, value: &str, what: &str) {
    let css = format!("form.answer button[name=answer][value=\"{value}\"]");
    click_submit(
        client,
        Locator::Css(&css),
        &format!("{what}: answering {value}"),
    )
    .await;
}

/// The seed walk of `tests/it/wizard.rs`, typed and clicked: the Q900068 event pasted on the
/// home page, its article chosen, its version confirmed, its two prose causes answered, its
/// "Modern" branch chosen and that fix not working, then Q900070 offered first as related,
/// all its causes ruled out, its general fix not working, and the session escalated with a
/// transcript naming both.
/// Returns the session's path.
async fn wizard_walk(shots: Shots, client: Client, base: String) -> String {
    let client = &client;
    client.goto(&format!("{base}/")).await.unwrap();
    let paste = common::q900068_event();
    let textarea = client.find(Locator::Id("paste-text")).await.unwrap();
    textarea.send_keys(&paste).await.unwrap();
    let typed = eval(
        client,
        "return document.getElementById('paste-text').value;",
    )
    .await;
    assert_eq!(
        typed.as_str().unwrap().replace("\r\n", "\n").trim_end(),
        paste,
        "the paste box holds what was typed"
    );
    click_and_wait(client, Locator::Css("form.paste button[type=submit]")).await;
    let session = path_of(client).await;
    assert!(
        session.starts_with("/wizard/") && session.len() == "/wizard/".len() + 32,
        "the paste form led to {session}"
    );

    let mut n = 1;
    let step = visit_step(&shots, client, &session, n).await;
    assert_eq!(step.kind, "choose_article", "step {n}");
    let offered = answers_offered(client).await;
    assert_eq!(
        offered.first().map(String::as_str),
        Some("Q900068"),
        "step {n}: {offered:?}"
    );
    assert!(!offered.contains(&"back".into()), "step {n}: back offered");
    answer(client, "Q900068", "step 1").await;

    // The paste matched the article's event: the version is asked, not the symptom.
    n += 1;
    let step = visit_step(&shots, client, &session, n).await;
    assert_eq!(step.kind, "check_version", "step {n}");
    answer(client, "yes", &format!("step {n}")).await;
    for reply in ["no", "unsure"] {
        n += 1;
        let step = visit_step(&shots, client, &session, n).await;
        assert_eq!(step.kind, "check_cause", "step {n}");
        answer(client, reply, &format!("step {n}")).await;
    }
    n += 1;
    let step = visit_step(&shots, client, &session, n).await;
    assert_eq!(step.kind, "choose_branch", "step {n}");
    let offered = answers_offered(client).await;
    assert_eq!(offered[..3], ["branch_1", "branch_2", "unsure"], "step {n}");
    answer(client, "branch_2", &format!("step {n}")).await;

    n += 1;
    let step = visit_step(&shots, client, &session, n).await;
    assert_eq!(step.kind, "try_resolution", "step {n}");
    let numbered = eval(
        client,
        "return [...document.querySelectorAll('.fix .item-step')]
                .map(li => li.textContent.trim());",
    )
    .await;
    let numbered: Vec<&str> = numbered
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(numbered.len(), 3, "step {n}: numbered steps {numbered:?}");
    for (i, s) in numbered.iter().enumerate() {
        assert!(s.starts_with(&format!("{}.", i + 1)), "step {n}: {s:?}");
    }
    let fix = client
        .find(Locator::Css(".fix"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        fix.contains("Modern") && !fix.contains("Classic"),
        "step {n}: only the chosen branch: {fix}"
    );
    assert_answers_before_fix(client, &format!("step {n}")).await;
    answer(client, "not_fixed", &format!("step {n}")).await;

    n += 1;
    let step = visit_step(&shots, client, &session, n).await;
    assert_eq!(step.kind, "related", "step {n}");
    let offered = answers_offered(client).await;
    let articles: Vec<&String> = offered.iter().filter(|v| v.starts_with('Q')).collect();
    assert_eq!(
        articles.first().map(|a| a.as_str()),
        Some("Q900070"),
        "step {n}: {articles:?}"
    );
    answer(client, "Q900070", &format!("step {n}")).await;

    let mut causes = 0;
    loop {
        n += 1;
        let step = visit_step(&shots, client, &session, n).await;
        if step.kind != "check_cause" {
            // Every cause ruled out: the general fix is still offered.
            assert_eq!(
                step.kind, "try_resolution",
                "step {n}: after {causes} causes"
            );
            answer(client, "not_fixed", &format!("step {n}")).await;
            n += 1;
            let step = visit_step(&shots, client, &session, n).await;
            assert_eq!(step.kind, "related", "step {n}");
            break;
        }
        let article = client
            .find(Locator::Css(".wizard-article a"))
            .await
            .unwrap_or_else(|e| panic!("step {n}: no article line: {e}"))
            .text()
            .await
            .unwrap();
        assert_eq!(article, "Q900070", "step {n}");
        causes += 1;
        answer(client, "no", &format!("step {n}")).await;
    }
    assert_eq!(causes, 5, "causes of Q900070 asked");
    answer(client, "none", &format!("step {n}")).await;

    n += 1;
    let step = visit_step(&shots, client, &session, n).await;
    assert_eq!(step.kind, "escalated", "step {n}");
    let transcript = client
        .find(Locator::Css("pre.transcript"))
        .await
        .unwrap_or_else(|e| panic!("step {n}: no transcript: {e}"))
        .text()
        .await
        .unwrap();
    for needle in ["Q900068", "Q900070"] {
        assert!(
            transcript.contains(needle),
            "step {n}: {needle} missing from the transcript:\n{transcript}"
        );
    }
    session
}

/// A wizard on a phone: the paste typed and the choice page with its forms, then every step
/// of the finished walk (`session`), none scrolling sideways.
async fn phone_wizard(shots: Shots, client: Client, base: String, width: u32, session: String) {
    let client = &client;
    client.goto(&format!("{base}/")).await.unwrap();
    let textarea = client.find(Locator::Id("paste-text")).await.unwrap();
    textarea.send_keys(&common::q900068_event()).await.unwrap();
    click_and_wait(client, Locator::Css("form.paste button[type=submit]")).await;
    let mut pages = vec![("phone-wizard-choose".to_string(), path_of(client).await)];
    client.goto(&format!("{base}{session}")).await.unwrap();
    let last = shown(client, "phone: the finished session").await;
    let total: usize = last
        .step
        .trim_start_matches("Step ")
        .parse()
        .unwrap_or_else(|_| panic!("phone: step line {:?}", last.step));
    for k in 1..=total {
        let path = format!("{session}/step/{k}");
        client.goto(&format!("{base}{path}")).await.unwrap();
        let step = shown(client, &format!("phone: {path}")).await;
        pages.push((format!("phone-wizard-{k:02}-{}", step.kind), path));
    }
    for (name, path) in pages {
        client.goto(&format!("{base}{path}")).await.unwrap();
        shown(client, &format!("phone: {path}")).await;
        assert_fits(&shots, client, &path, &name, width).await;
        if name.contains("try_") {
            assert_answers_before_fix(client, &path).await;
        }
    }
}

/// On a step with a long fix, an answer button sits above the fix, so it is reachable
/// without scrolling past the fix.
async fn assert_answers_before_fix(client: &Client, path: &str) {
    let tops = eval(
        client,
        "const b = document.querySelector('button[name=answer]');
         const f = document.querySelector('.fix');
         return [b ? b.getBoundingClientRect().top : -1,
                 f ? f.getBoundingClientRect().top : 1e9];",
    )
    .await;
    let (button, fix) = (tops[0].as_f64().unwrap(), tops[1].as_f64().unwrap());
    if button < 0.0 {
        // An answered step shows no form.
        return;
    }
    assert!(
        button < fix,
        "{path}: the first answer button ({button}) is not above the fix ({fix})"
    );
}

/// The page is laid out at the screen's width and does not scroll sideways.
async fn assert_fits(shots: &Shots, client: &Client, path: &str, name: &str, width: u32) {
    let fits = eval(
        client,
        "return [document.documentElement.scrollWidth, window.innerWidth];",
    )
    .await;
    let (scroll, inner) = (fits[0].as_u64().unwrap(), fits[1].as_u64().unwrap());
    // The page's viewport meta makes the layout as wide as the screen, not 980 px.
    assert_eq!(inner, u64::from(width), "{path}: layout viewport");
    shots.take(client, name).await;
    assert!(
        scroll <= inner,
        "{path} scrolls sideways at {width} px: content is {scroll} px wide"
    );
}

/// Pastes people post, typed into the home page form: a German and a Japanese Event Viewer
/// copy and a copy whose line breaks a forum lost. Each reaches the article about its event,
/// said in words above the list.
async fn real_pastes_walk(shots: Shots, client: Client, base: String) {
    let client = &client;
    let pastes = [
        (
            "german",
            "Protokollname: Application\nQuelle: MSExchangeCCMC\nDatum: 12.03.2003 02:10:44\nEreignis-ID: 68\nEbene: Fehler\nComputer: MAIL01\nBeschreibung:\nBridge EXPORT to file BRIDGE.EXP ended with result code 4.",
        ),
        (
            "japanese",
            "ログの名前: Application\nソース: MSExchangeCCMC\n日付: 2003/03/12 2:10:44\nイベント ID: 68\nレベル: エラー\n説明:\nBridge EXPORT to file BRIDGE.EXP ended with result code 4.",
        ),
        (
            "flattened",
            "Event Type: Error Event Source: MSExchangeCCMC Event Category: General Event ID: 68 Date: 3/12/2003 Time: 2:10:44 AM User: N/A Computer: MAIL01 Description: Bridge EXPORT to file BRIDGE.EXP ended with result code 4. For more information, see Help and Support Center at http://go.microsoft.com/fwlink/events.asp.",
        ),
    ];
    for (name, paste) in pastes {
        client.goto(&format!("{base}/")).await.unwrap();
        let textarea = client.find(Locator::Id("paste-text")).await.unwrap();
        textarea.send_keys(paste).await.unwrap();
        click_and_wait(client, Locator::Css("form.paste button[type=submit]")).await;
        shots.take(client, &format!("paste-{name}")).await;
        let offered = answers_offered(client).await;
        assert_eq!(
            offered.first().map(String::as_str),
            Some("Q900068"),
            "{name}: {offered:?}"
        );
        let heading = eval(client, "return document.querySelector('h1').textContent;").await;
        let heading = heading.as_str().unwrap_or_default();
        assert!(
            heading.starts_with("These articles are about event 68 from MSExchangeCCMC"),
            "{name}: {heading}"
        );
    }
}

/// One test function: the sessions share one chromedriver and never race for ports.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_walks() {
    let app = common::spawn_app().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = app.router();
    let server = tokio::spawn(async move { axum::serve(listener, router).await });

    let mut browser = Browser::start();
    let b = base.clone();
    browser
        .walk(None, move |shots, c| staff_walk(shots, c, b))
        .await;
    let session = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let (b, s) = (base.clone(), session.clone());
    browser
        .walk(None, move |shots, c| async move {
            *s.lock().unwrap() = wizard_walk(shots, c, b).await;
        })
        .await;
    let b = base.clone();
    browser
        .walk(None, move |shots, c| real_pastes_walk(shots, c, b))
        .await;
    let b = base.clone();
    browser
        .walk(None, move |shots, c| {
            eventviewer::eventviewer_walk(shots, c, b)
        })
        .await;
    let b = base.clone();
    browser
        .walk(Some(375), move |shots, c| phone_walk(shots, c, b, 375))
        .await;
    let session = session.lock().unwrap().clone();
    browser
        .walk(Some(375), move |shots, c| {
            phone_wizard(shots, c, base, 375, session)
        })
        .await;

    server.abort();
}
