//! The `kbfix` binary as a user runs it: every mistake (a database path that cannot be, a
//! corrupt database, a port in use, bad import paths, bad ids) ends in one `kbfix: error:`
//! line naming the thing and the problem, a non-zero exit, and never a panic or backtrace.

use crate::common;

use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output};

/// Runs the built binary with `args`, a backtrace requested (so that one would show if any
/// code path printed it) and no inherited database or address settings.
fn kbfix(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kbfix"))
        .args(args)
        .env("RUST_BACKTRACE", "1")
        .env_remove("KBFIX_DB")
        .env_remove("KBFIX_ADDR")
        .env_remove("KBFIX_LOG")
        .output()
        .expect("run kbfix")
}

/// Runs each of `commands` on the database `db` and checks that each fails with one error
/// line holding all of `needles`.
fn each_fails_naming(db: &Path, commands: &[Vec<&str>], needles: &[&str]) {
    for args in commands {
        let mut all = vec!["--db", path_str(db)];
        all.extend(args);
        let out = kbfix(&all);
        assert_one_error(&format!("{all:?}"), &out, needles);
    }
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 temp path")
}

/// Asserts a failure reported the way users should see it: non-zero exit, exactly one
/// `kbfix: error:` line containing every one of `needles`, every other stderr line a
/// `failed: FILE: reason` line, and nothing that looks like a crash.
fn assert_one_error(what: &str, out: &Output, needles: &[&str]) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success(), "{what}: exited 0\nstderr: {stderr}");
    for bad in ["panicked", "backtrace", "RUST_BACKTRACE", "Backtrace"] {
        assert!(!stderr.contains(bad), "{what}: {bad:?} on stderr: {stderr}");
    }
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("kbfix: error:"))
        .collect();
    assert_eq!(
        errors.len(),
        1,
        "{what}: want one error line, got: {stderr}"
    );
    for line in stderr.lines().filter(|l| !l.starts_with("kbfix: error:")) {
        assert!(line.starts_with("failed: "), "{what}: stray line {line:?}");
    }
    let line = errors[0].to_string();
    for needle in needles {
        assert!(line.contains(needle), "{what}: {needle:?} not in {line:?}");
    }
    line
}

/// Whether this process can write into a directory with mode 0555 (root can).
fn permissions_are_enforced(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = dir.join("probe");
    std::fs::create_dir(&probe).unwrap();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o555)).unwrap();
    let enforced = std::fs::write(probe.join("x"), b"x").is_err();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o755)).unwrap();
    enforced
}

/// Deterministic noise: the same "random" bytes every run, so a failure reproduces.
fn noise(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as u8
        })
        .collect()
}

/// A database holding the fixtures, made through the binary itself.
fn fixture_db(dir: &Path) -> String {
    let db = dir.join("kbfix.db");
    let out = kbfix(&[
        "--db",
        path_str(&db),
        "import",
        path_str(&common::fixtures()),
    ]);
    assert!(
        out.status.success(),
        "fixture import failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    path_str(&db).to_string()
}

#[test]
fn the_happy_path_works_so_the_failures_below_mean_something() {
    let dir = tempfile::tempdir().unwrap();
    let db = fixture_db(dir.path());
    let out = kbfix(&["--db", &db, "show", "q900068"]);
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["id"], "Q900068");
    // A five-digit article is shown and exported as the archive writes it, however typed.
    let out = kbfix(&["--db", &db, "show", "Q090022"]);
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["id"], "Q90022");
    let out = kbfix(&["--db", &db, "export"]);
    assert!(out.status.success());
    let export = String::from_utf8(out.stdout).unwrap();
    let fixtures = std::fs::read_dir(common::fixtures()).unwrap().count();
    assert_eq!(export.lines().count(), fixtures);
    assert!(export.contains(r#""id":"Q90022""#));
    assert!(!export.contains("Q090022"));
}

#[test]
fn database_in_a_missing_directory() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere");
    let db = missing.join("kbfix.db");
    each_fails_naming(
        &db,
        &[
            vec!["show", "Q900068"],
            vec!["export"],
            vec!["import", path_str(&common::fixtures())],
        ],
        &[path_str(&missing), "does not exist"],
    );
    // Reporting the mistake must not paper over it by creating the directory.
    assert!(!missing.exists());
}

#[test]
fn database_under_a_regular_file() {
    // Fails for root too, unlike a read-only directory.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, b"not a directory").unwrap();
    let db = file.join("kbfix.db");
    let out = kbfix(&["--db", path_str(&db), "show", "Q900068"]);
    assert_one_error("file as dir", &out, &[path_str(&file), "not a directory"]);
}

#[test]
fn database_in_a_read_only_directory() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    if !permissions_are_enforced(dir.path()) {
        // Running as root: 0555 does not stop us, and database_under_a_regular_file covers
        // an unwritable location instead.
        eprintln!("skipped: permissions are not enforced for this user");
        return;
    }
    let ro = dir.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    let db = ro.join("kbfix.db");
    let out = kbfix(&[
        "--db",
        path_str(&db),
        "import",
        path_str(&common::fixtures()),
    ]);
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
    let line = assert_one_error("read-only dir", &out, &[path_str(&db)]);
    assert!(
        line.contains("writable") || line.contains("read-only"),
        "{line}"
    );
}

#[test]
fn database_file_of_random_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kbfix.db");
    std::fs::write(&db, noise(64 * 1024, 7)).unwrap();
    let fixtures = common::fixtures();
    each_fails_naming(
        &db,
        &[
            vec!["show", "Q900068"],
            vec!["export"],
            vec!["import", path_str(&fixtures)],
            vec!["serve", "--addr", "127.0.0.1:0"],
        ],
        &[path_str(&db), "not a SQLite database"],
    );
    // The file is left as it was: nothing tried to "repair" it by overwriting.
    assert_eq!(std::fs::read(&db).unwrap(), noise(64 * 1024, 7));
}

#[test]
fn database_with_damaged_pages() {
    // A real database whose header is intact but whose later pages are noise: the open may
    // succeed, reading may not, and either way there is no panic.
    let dir = tempfile::tempdir().unwrap();
    let db = fixture_db(dir.path());
    // Move everything from the WAL into the main file first: the damage must hit the pages.
    checkpoint(Path::new(&db));
    let mut bytes = std::fs::read(&db).unwrap();
    assert!(bytes.len() > 8192, "database too small: {}", bytes.len());
    let len = bytes.len();
    bytes[4096..len].copy_from_slice(&noise(len - 4096, 11));
    std::fs::write(&db, &bytes).unwrap();
    for args in [vec!["show", "Q900068"], vec!["export"]] {
        let mut all = vec!["--db", db.as_str()];
        all.extend(args);
        let out = kbfix(&all);
        if !out.status.success() {
            assert_one_error(&format!("{all:?}"), &out, &[]);
        }
    }
}

/// Checkpoints and empties the WAL of the database at `db`.
fn checkpoint(db: &Path) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let store = kbfix::store::Store::open(db).await.unwrap();
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(store.pool())
            .await
            .unwrap();
        store.close().await;
    });
}

#[test]
fn port_already_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let db = fixture_db(dir.path());
    let held = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = held.local_addr().unwrap().to_string();
    let out = kbfix(&["--db", &db, "serve", "--addr", &addr]);
    assert_one_error("port in use", &out, &[&addr, "in use"]);
    drop(held);
}

#[test]
fn unparseable_listen_address() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kbfix.db");
    let out = kbfix(&["--db", path_str(&db), "serve", "--addr", "not-an-address"]);
    assert_one_error("bad addr", &out, &["not-an-address"]);
}

#[test]
fn importing_a_missing_path() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kbfix.db");
    let missing = dir.path().join("Q123456.TXT");
    each_fails_naming(
        &db,
        &[
            vec!["import", path_str(&missing)],
            // A good path beside a mistyped one: the mistake is reported before any work.
            vec!["import", path_str(&common::fixtures()), path_str(&missing)],
            vec![
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--import",
                path_str(&missing),
            ],
        ],
        &[path_str(&missing), "no such file"],
    );
}

#[test]
fn importing_a_file_that_is_not_an_article() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kbfix.db");
    let notes = dir.path().join("NOTES.TXT");
    std::fs::write(&notes, "shopping list\r\n- milk\r\n").unwrap();
    for strict in [false, true] {
        let mut args = vec!["--db", path_str(&db), "import"];
        if strict {
            args.push("--strict");
        }
        args.push(path_str(&notes));
        let out = kbfix(&args);
        assert_one_error(&format!("{args:?}"), &out, &[path_str(&notes), "DOCUMENT:"]);
    }
    // Among good articles, one bad file is reported but is not fatal without --strict...
    let mixed = dir.path().join("mixed");
    std::fs::create_dir(&mixed).unwrap();
    std::fs::copy(notes, mixed.join("NOTES.TXT")).unwrap();
    std::fs::copy(
        common::fixtures().join("Q900001.TXT"),
        mixed.join("Q900001.TXT"),
    )
    .unwrap();
    let out = kbfix(&["--db", path_str(&db), "import", path_str(&mixed)]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("failed: ") && stderr.contains("NOTES.TXT"),
        "{stderr}"
    );
    // ...and fatal with it, naming the file.
    let out = kbfix(&[
        "--db",
        path_str(&db),
        "import",
        "--strict",
        path_str(&mixed),
    ]);
    assert_one_error("strict mixed", &out, &["NOTES.TXT", "--strict"]);
}

#[test]
fn show_an_unknown_and_a_malformed_id() {
    let dir = tempfile::tempdir().unwrap();
    let db = fixture_db(dir.path());
    let out = kbfix(&["--db", &db, "show", "Q123456"]);
    assert_one_error("unknown id", &out, &["Q123456", "not in the database", &db]);
    for bad in ["banana", "Q", "Q12x", "Q999999999", "-1"] {
        let out = kbfix(&["--db", &db, "show", "--", bad]);
        assert_one_error(bad, &out, &[bad, "not an article id"]);
    }
}

/// `kbfix show … | head` closes the pipe before kbfix writes: the command must end quietly,
/// not panic or print an error.
#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let db = fixture_db(dir.path());
    for args in [&["show", "Q900068"][..], &["export"]] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = Command::new(env!("CARGO_BIN_EXE_kbfix"))
            .args(["--db", &db])
            .args(args)
            .stdout(writer)
            .stderr(std::process::Stdio::piped())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {stderr}");
        assert!(stderr.trim().is_empty(), "{args:?}: {stderr}");
    }
}

/// Runs `kbfix --db DB match ARGS` with `stdin` piped in.
fn kbfix_match(db: &str, args: &[&str], stdin: &[u8]) -> Output {
    let args: Vec<&str> = ["match"].into_iter().chain(args.iter().copied()).collect();
    common::kbfix_with_stdin(db, &args, stdin)
}

#[test]
fn match_ranks_the_pasted_event() {
    let dir = tempfile::tempdir().unwrap();
    let db = fixture_db(dir.path());
    let out = kbfix_match(&db, &[], common::q900068_event().as_bytes());
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "exit {}: {stderr}", out.status);
    assert!(stderr.trim().is_empty(), "stderr: {stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[0].starts_with("recognised: ")
            && lines[0].contains("68")
            && lines[0].contains("MSExchangeCCMC"),
        "{stdout}"
    );
    // The ranking: numbered lines, the article the event comes from first.
    let ranked: Vec<&str> = lines
        .iter()
        .map(|l| l.trim_start())
        .filter(|l| {
            l.split_once(". Q")
                .is_some_and(|(n, _)| n.parse::<u32>().is_ok())
        })
        .collect();
    assert!(ranked.len() >= 2, "{stdout}");
    assert!(ranked[0].starts_with("1. Q900068 "), "{stdout}");
    assert!(ranked[0].contains("confidence"), "{stdout}");
    assert!(
        ranked.iter().any(|l| l.contains("Q900070")),
        "the related article is ranked too: {stdout}"
    );
}

#[test]
fn match_json_has_events_and_results() {
    let dir = tempfile::tempdir().unwrap();
    let db = fixture_db(dir.path());
    let out = kbfix_match(&db, &["--json"], common::q900068_event().as_bytes());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    let events = v["events"].as_array().expect("events");
    assert_eq!(events.len(), 1, "{v}");
    assert_eq!(events[0]["event_id"], 68);
    assert!(
        events[0]["source"]
            .as_str()
            .is_some_and(|s| s.eq_ignore_ascii_case("MSExchangeCCMC")),
        "{v}"
    );
    let results = v["results"].as_array().expect("results");
    assert_eq!(results[0]["id"], "Q900068", "{v}");
    assert!(
        results[0]["title"]
            .as_str()
            .unwrap()
            .contains("Event ID 68")
    );
    let confidences: Vec<f64> = results
        .iter()
        .map(|r| r["confidence"].as_f64().expect("a confidence"))
        .collect();
    assert!(
        confidences.windows(2).all(|w| w[0] >= w[1]),
        "not ranked: {confidences:?}"
    );
    assert!(results.iter().all(|r| r["reasons"].is_array()));

    // Text that names no event still answers JSON of the same shape, with no results.
    let out = kbfix_match(&db, &["--json"], b"zzzqqq xxyyw frobnicator\n");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["events"].is_array() && v["results"].is_array(), "{v}");
    assert!(v["results"].as_array().unwrap().is_empty(), "{v}");
}

#[test]
fn match_with_nothing_on_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let db = fixture_db(dir.path());
    for (what, input) in [
        ("empty stdin", &b""[..]),
        ("blank stdin", &b"  \n\t\r\n"[..]),
    ] {
        for args in [&[][..], &["--json"][..]] {
            let out = kbfix_match(&db, args, input);
            assert_one_error(&format!("{what} {args:?}"), &out, &["stdin", "empty"]);
            assert!(out.stdout.is_empty(), "{what}: printed a ranking anyway");
        }
    }
    // A database that cannot be is reported as for every other command.
    let missing = dir.path().join("nowhere/kbfix.db");
    let out = kbfix_match(path_str(&missing), &[], b"Event ID: 68\n");
    assert_one_error("match, missing db dir", &out, &["nowhere"]);
}
