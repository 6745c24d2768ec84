//! The server's analysis workers: one per CPU, each kept on its own CPU (Linux), unless
//! `ANNALIST_NO_PIN` is set (`src/lsp/mod.rs`, `analysis_pool`).

#![cfg(target_os = "linux")]

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The CPUs a thread (or the process) may run on, as `/proc`'s `Cpus_allowed_list`.
fn cpus_allowed(status: &str) -> Option<String> {
    status
        .lines()
        .find_map(|l| l.strip_prefix("Cpus_allowed_list:"))
        .map(|v| v.trim().to_string())
}

/// Each analysis worker's name and allowed CPUs, once `settled` says they have all
/// started (a worker names and pins itself once running), or after 10 s.
fn workers(child: &Child, settled: impl Fn(&[(String, String)]) -> bool) -> Vec<(String, String)> {
    let start = Instant::now();
    loop {
        let mut found = Vec::new();
        if let Ok(tasks) = std::fs::read_dir(format!("/proc/{}/task", child.id())) {
            for t in tasks.flatten() {
                let comm = std::fs::read_to_string(t.path().join("comm")).unwrap_or_default();
                let status = std::fs::read_to_string(t.path().join("status")).unwrap_or_default();
                let comm = comm.trim().to_string();
                if comm.starts_with("annalist-analy")
                    && let Some(c) = cpus_allowed(&status)
                {
                    found.push((comm, c));
                }
            }
        }
        found.sort();
        if settled(&found) || start.elapsed() > Duration::from_secs(10) {
            return found;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn server(no_pin: bool) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_annalist"));
    cmd.arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .env_remove("RAYON_NUM_THREADS")
        .env_remove("ANNALIST_NO_PIN");
    if no_pin {
        cmd.env("ANNALIST_NO_PIN", "1");
    }
    cmd.spawn().expect("the server starts")
}

fn ours() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    cpus_allowed(&status).unwrap_or_default()
}

#[test]
fn each_analysis_worker_keeps_to_its_own_cpu() {
    let n = std::thread::available_parallelism().map_or(1, |n| n.get());
    let all = ours();
    let mut child = server(false);
    let w = workers(&child, |w| {
        w.len() == n && w.iter().all(|(_, c)| c.parse::<usize>().is_ok() || n < 2)
    });
    let _ = child.kill();
    let _ = child.wait();
    assert!(!w.is_empty(), "no analysis worker found");
    // Pinned only with one worker per allowed CPU, and more than one CPU.
    let allowed: usize = all
        .split(',')
        .map(|r| match r.split_once('-') {
            Some((a, b)) => b.parse::<usize>().unwrap_or(0) + 1 - a.parse::<usize>().unwrap_or(0),
            None => 1,
        })
        .sum();
    if n < 2 || allowed != n {
        for (name, c) in &w {
            assert_eq!(c, &all, "{name} pinned on a machine where it should not be");
        }
        return;
    }
    assert_eq!(w.len(), n, "one worker per CPU: {w:?}");
    let mut cpus: Vec<&str> = w.iter().map(|(_, c)| c.as_str()).collect();
    for c in &cpus {
        assert!(
            c.parse::<usize>().is_ok(),
            "a worker on more than one CPU: {w:?}"
        );
    }
    cpus.sort();
    cpus.dedup();
    assert_eq!(cpus.len(), n, "two workers share a CPU: {w:?}");
}

#[test]
fn no_pin_leaves_the_workers_free() {
    let n = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut child = server(true);
    let w = workers(&child, |w| w.len() == n);
    let _ = child.kill();
    let _ = child.wait();
    assert!(!w.is_empty(), "no analysis worker found");
    let all = ours();
    for (name, c) in &w {
        assert_eq!(c, &all, "{name} pinned despite ANNALIST_NO_PIN");
    }
}
