//! Debian's Chromium, headless, one process per page: `--dump-dom` for
//! the rendered DOM, `--screenshot` for a full page image. No browser
//! driver crate: the command line is all the walkthrough needs, and it
//! builds nothing. `scripts/install-test-deps.sh` installs Chromium.

use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Where Debian installs it.
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// A headless Chromium with a throwaway profile.
#[derive(Debug)]
pub struct Browser {
    binary: PathBuf,
    profile: PathBuf,
}

impl Browser {
    /// Chromium at [`CHROMIUM`] with a profile under `scratch`; an error
    /// that says how to install it if it is missing.
    pub fn new(scratch: &Path) -> io::Result<Browser> {
        let binary = PathBuf::from(CHROMIUM);
        if !binary.exists() {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                "chromium is not installed: run scripts/install-test-deps.sh (apt-get install -y chromium)",
            ));
        }
        let profile = scratch.join("chromium-profile");
        std::fs::create_dir_all(&profile)?;
        Ok(Browser { binary, profile })
    }

    fn command(&self) -> Command {
        let mut c = Command::new(&self.binary);
        c.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            // Lets the page's own scripts run (Swagger UI renders the
            // document after fetching it) before the DOM is dumped.
            "--virtual-time-budget=8000",
        ]);
        c.arg(format!("--user-data-dir={}", self.profile.display()));
        c
    }

    /// The DOM of `url` after it has loaded and its scripts have run.
    pub fn dump_dom(&self, url: &str) -> io::Result<String> {
        let mut c = self.command();
        c.arg("--dump-dom").arg(url);
        let out = run(c)?;
        Ok(String::from_utf8_lossy(&out).into_owned())
    }

    /// A screenshot of `url`, 1280 pixels wide and `height` high (a page
    /// longer than that is cut), into `file`.
    pub fn screenshot(&self, url: &str, file: &Path, height: u32) -> io::Result<()> {
        let mut c = self.command();
        c.arg(format!("--screenshot={}", file.display()))
            .arg(format!("--window-size=1280,{height}"))
            .arg(url);
        run(c)?;
        let png = std::fs::read(file)?;
        if !png.starts_with(b"\x89PNG") {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "chromium wrote no PNG",
            ));
        }
        Ok(())
    }
}

/// Runs `c` for at most a minute; its standard output.
fn run(mut c: Command) -> io::Result<Vec<u8>> {
    let mut child = c.stdout(Stdio::piped()).stderr(Stdio::null()).spawn()?;
    let mut stdout = child
        .stdout
        .take()
        .ok_or_else(|| io::Error::other("no stdout"))?;
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        io::Read::read_to_end(&mut stdout, &mut out).map(|_| out)
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if child.try_wait()?.is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "chromium did not finish within 60 s",
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    reader
        .join()
        .map_err(|_| io::Error::other("reader panicked"))?
}
