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
/// The wizard walked step by step.
mod wizard;
/// A branch article and a method article walked on a phone, and the hand-off.
mod wizard_pages;

use wizard::{answers_offered, phone_wizard, shown, wizard_walk};

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
        let step = shown(client, name).await;
        if step.kind == "choose_article" {
            assert_eq!(
                offered.first().map(String::as_str),
                Some("Q900068"),
                "{name}: {offered:?}"
            );
            assert!(
                step.h1.contains("about event 68 from MSExchangeCCMC"),
                "{name}: {}",
                step.h1
            );
        } else {
            // Matched verbatim enough to start in the article, with the way out.
            let article = eval(
                client,
                "return document.querySelector('.wizard-article a').textContent;",
            )
            .await;
            assert_eq!(article, "Q900068", "{name}");
            assert!(offered.contains(&"others".into()), "{name}: {offered:?}");
        }
    }
}

/// One test function: the sessions share one chromedriver and never race for ports.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_walks() {
    // Staff can log in: the hand-off walk reads the session back on the staff page.
    let app = common::staff_app().await;
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
    let b = base.clone();
    browser
        .walk(Some(375), move |shots, c| {
            phone_wizard(shots, c, b, 375, session)
        })
        .await;
    let b = base.clone();
    browser
        .walk(Some(375), move |shots, c| {
            wizard_pages::branch_walk(shots, c, b, 375)
        })
        .await;
    browser
        .walk(Some(375), move |shots, c| {
            wizard_pages::method_walk(shots, c, base, 375)
        })
        .await;

    server.abort();
}
