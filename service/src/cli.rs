//! The command line, parsed by hand: three subcommands and a handful of
//! flags do not need clap's build (clap with derive roughly doubles the
//! service's own compile), and the usage text below is the whole grammar.

use std::net::SocketAddr;
use std::path::PathBuf;

use crate::operator::Command;

/// The usage text.
pub const USAGE: &str = "\
usage:
  key-model-service serve --listen ADDR --data-dir DIR [--demo]
  key-model-service operator --data-dir DIR COMMAND
  key-model-service evidence OUT_DIR

operator commands (keys are platform-managed; not in the tenant API):
  add-tenant TENANT                 adds a tenant, prints its admin token
  list TENANT                       lists the tenant's key versions
  create KEY_NAME                   tenants/T/keys/P: version 1, primary
  rotate KEY_NAME                   a new primary version
  disable KEY_REF                   tenants/T/keys/P/versions/N
  enable KEY_REF
  schedule-destruction KEY_REF
  restore KEY_REF
  destroy KEY_REF
";

/// A parsed command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cli {
    /// `serve`.
    Serve {
        /// The address to listen on.
        listen: SocketAddr,
        /// Where keys and records are kept.
        data_dir: PathBuf,
        /// Whether to create the demo tenants and data.
        demo: bool,
    },
    /// `operator`.
    Operator {
        /// Where keys and records are kept.
        data_dir: PathBuf,
        /// What to do.
        command: Command,
    },
    /// `evidence`.
    Evidence {
        /// Where the evidence pack goes.
        out_dir: PathBuf,
    },
    /// `help`, `--help` or `-h`.
    Help,
}

/// Parses the arguments after the program name. An error names the
/// argument's position and role, never echoes a value.
pub fn parse(args: &[String]) -> Result<Cli, String> {
    let mut args = args.iter().map(String::as_str);
    match args.next() {
        None | Some("help" | "--help" | "-h") => Ok(Cli::Help),
        Some("serve") => {
            let (mut listen, mut data_dir, mut demo) = (None, None, false);
            while let Some(arg) = args.next() {
                match arg {
                    "--listen" => {
                        let v = args.next().ok_or("--listen needs an address")?;
                        listen = Some(v.parse().map_err(|_| "--listen: not an IP:PORT address")?);
                    }
                    "--data-dir" => {
                        data_dir = Some(PathBuf::from(
                            args.next().ok_or("--data-dir needs a directory")?,
                        ));
                    }
                    "--demo" => demo = true,
                    _ => return Err("serve: unknown argument".into()),
                }
            }
            Ok(Cli::Serve {
                listen: listen.ok_or("serve needs --listen ADDR")?,
                data_dir: data_dir.ok_or("serve needs --data-dir DIR")?,
                demo,
            })
        }
        Some("operator") => {
            if args.next() != Some("--data-dir") {
                return Err("operator needs --data-dir DIR first".into());
            }
            let data_dir = PathBuf::from(args.next().ok_or("--data-dir needs a directory")?);
            let verb = args.next().ok_or("operator needs a command")?;
            let arg = args
                .next()
                .ok_or("the operator command needs an argument")?;
            if args.next().is_some() {
                return Err("operator: too many arguments".into());
            }
            let parse_err = |what: &str| format!("{verb}: the argument is not a valid {what}");
            let command = match verb {
                "add-tenant" => {
                    Command::AddTenant(arg.parse().map_err(|_| parse_err("tenant id"))?)
                }
                "list" => Command::List(arg.parse().map_err(|_| parse_err("tenant id"))?),
                "create" => Command::Create(arg.parse().map_err(|_| parse_err("key name"))?),
                "rotate" => Command::Rotate(arg.parse().map_err(|_| parse_err("key name"))?),
                "disable" => Command::Disable(arg.parse().map_err(|_| parse_err("key reference"))?),
                "enable" => Command::Enable(arg.parse().map_err(|_| parse_err("key reference"))?),
                "schedule-destruction" => Command::ScheduleDestruction(
                    arg.parse().map_err(|_| parse_err("key reference"))?,
                ),
                "restore" => Command::Restore(arg.parse().map_err(|_| parse_err("key reference"))?),
                "destroy" => Command::Destroy(arg.parse().map_err(|_| parse_err("key reference"))?),
                _ => return Err("operator: unknown command".into()),
            };
            Ok(Cli::Operator { data_dir, command })
        }
        Some("evidence") => {
            let out_dir = PathBuf::from(args.next().ok_or("evidence needs OUT_DIR")?);
            if args.next().is_some() {
                return Err("evidence: too many arguments".into());
            }
            Ok(Cli::Evidence { out_dir })
        }
        Some(_) => Err("unknown subcommand".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn parses_each_subcommand_and_rejects_the_rest() {
        assert_eq!(
            parse(&args("serve --listen 127.0.0.1:8080 --data-dir d --demo")),
            Ok(Cli::Serve {
                listen: "127.0.0.1:8080".parse().unwrap(),
                data_dir: "d".into(),
                demo: true
            })
        );
        assert!(matches!(
            parse(&args(
                "operator --data-dir d disable tenants/acme/keys/k/versions/1"
            )),
            Ok(Cli::Operator {
                command: Command::Disable(_),
                ..
            })
        ));
        assert_eq!(
            parse(&args("evidence out")),
            Ok(Cli::Evidence {
                out_dir: "out".into()
            })
        );
        for bad in [
            "serve --listen nowhere --data-dir d",
            "serve --data-dir d",
            "operator disable x",
            "operator --data-dir d disable tenants/acme/keys/k/versions/01",
            "frobnicate",
            "evidence",
        ] {
            let err = parse(&args(bad)).unwrap_err();
            assert!(
                !err.contains("nowhere") && !err.contains("versions/01"),
                "{bad}: {err}"
            );
        }
    }
}
