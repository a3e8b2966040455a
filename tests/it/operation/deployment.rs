//! The README's deployment example stays true: the systemd unit's `ExecStart` parses as a
//! `chuyende` command line, every flag in it and every `CHUYENDE_*` variable it sets is one
//! that `chuyende --help` lists, and the flags the HTTPS section relies on are there.

use std::process::Command;

use chuyende::config::{Cli, Command as Sub};
use clap::Parser;

/// The systemd unit of the README: the `ini` block with a `[Service]` section.
fn unit() -> String {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    readme
        .split("```ini\n")
        .skip(1)
        .filter_map(|rest| rest.split("\n```").next())
        .find(|block| block.contains("[Service]"))
        .expect("a systemd unit in README.md")
        .to_owned()
}

fn help(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_chuyende"))
        .args(args)
        .env_remove("CHUYENDE_DATABASE_URL")
        .output()
        .unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn the_readme_systemd_unit_runs_the_server_with_real_flags() {
    let unit = unit();
    let exec: Vec<&str> = unit
        .lines()
        .find_map(|line| line.strip_prefix("ExecStart="))
        .expect("ExecStart=")
        .split_whitespace()
        .collect();
    assert!(exec[0].ends_with("/chuyende"), "{exec:?}");
    assert_eq!(exec[1], "serve");

    // It parses as given.
    let cli = Cli::try_parse_from(std::iter::once("chuyende").chain(exec[1..].iter().copied()))
        .unwrap_or_else(|e| panic!("ExecStart does not parse: {e}"));
    let Some(Sub::Serve(serve)) = cli.command else {
        panic!("not `serve`")
    };
    assert!(
        serve.secure_cookies && serve.trust_proxy,
        "behind HTTPS: --secure-cookies --trust-proxy"
    );
    assert!(
        serve.bind.ip().is_loopback(),
        "only the proxy reaches the server"
    );
    assert!(serve.public_url.is_some());
    assert!(
        cli.database_url.starts_with("sqlite:///var/lib/chuyende/"),
        "{}",
        cli.database_url
    );

    // Every flag and variable is one the help lists.
    let help = help(&["serve", "--help"]);
    for flag in exec.iter().filter(|a| a.starts_with("--")) {
        assert!(
            help.contains(&format!("{flag} ")) || help.contains(&format!("{flag}\n")),
            "{flag} not in `chuyende serve --help`:\n{help}"
        );
    }
    let variables: Vec<&str> = unit
        .lines()
        .filter_map(|line| line.strip_prefix("Environment="))
        .filter_map(|assignment| assignment.split('=').next())
        .collect();
    assert!(!variables.is_empty());
    for variable in variables {
        assert!(
            help.contains(&format!("[env: {variable}")),
            "{variable} not in `chuyende serve --help`:\n{help}"
        );
    }
    assert!(
        unit.contains("StateDirectory=chuyende"),
        "the data folder /var/lib/chuyende"
    );
}
