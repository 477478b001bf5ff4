//! The release binary serving as its own process, as it is deployed: the benches' clients
//! share the machine's cores with it, not its runtime or its allocator (shared by the pledge
//! and rush benches).

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `bookbridge serve`, stopped when dropped.
pub struct Server {
    pub child: Child,
    /// `http://127.0.0.1:PORT`
    pub base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts `serve` from `command(port)` on a free port and waits until it answers.
    pub async fn start(
        command: impl FnOnce(u16) -> Command,
        client: &reqwest::Client,
    ) -> anyhow::Result<Server> {
        let port = free_port()?;
        let server = Server {
            child: command(port).arg("serve").spawn()?,
            base: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + Duration::from_secs(600);
        loop {
            if let Ok(answer) = client
                .get(format!("{}/api/v1/health", server.base))
                .send()
                .await
            {
                if answer.status().is_success() {
                    return Ok(server);
                }
            }
            anyhow::ensure!(Instant::now() < deadline, "the server did not start");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

/// The release binary on `database_url`, keeping its index and photos in `dir`, quiet, with
/// no calls to Open Library. `BENCH_SERVER=PATH` runs another build instead (to compare two
/// builds in one script).
pub fn command(database_url: &str, dir: &Path, port: u16) -> Command {
    let binary =
        std::env::var_os("BENCH_SERVER").unwrap_or_else(|| env!("CARGO_BIN_EXE_bookbridge").into());
    let mut command = Command::new(binary);
    command
        .env("ROCKET_DATABASE_URL", database_url)
        .env("ROCKET_INDEX_DIR", dir.join("index"))
        .env("ROCKET_PHOTO_DIR", dir.join("photos"))
        .env("ROCKET_PORT", port.to_string())
        .env("ROCKET_LOG_LEVEL", "critical")
        .env("ROCKET_METADATA_ENABLED", "false")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    command
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// A figure from the server's `/proc/PID/status`, in kB: `VmRSS:` is all its resident
/// memory, `VmHWM:` the most it ever had, `RssAnon:` what it allocated, `RssFile:` the
/// index and database files mapped in (page cache the kernel can drop).
pub fn status_kb(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(field))
                .and_then(|v| v.split_whitespace().next()?.parse().ok())
        })
        .unwrap_or(0)
}
