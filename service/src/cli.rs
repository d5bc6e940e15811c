//! The command line, parsed by hand: three subcommands and a handful of
//! flags do not need clap's build (clap with derive roughly doubles the
//! service's own compile), and the usage text below is the whole grammar.

use std::net::SocketAddr;
use std::path::PathBuf;

use crate::operator::Command;

/// The usage text.
pub const USAGE: &str = "\
usage:
  key-model-service serve --listen ADDR --data-dir DIR [--database URL] [--demo]
  key-model-service operator --data-dir DIR [--database URL] COMMAND
  key-model-service evidence OUT_DIR

  DIR holds the root key (root.key) and, without --database, the keys
  (keys.sqlite3) and the records (records.sqlite3). With --database
  postgres://..., keys and records are in that PostgreSQL database, shared
  by every instance given the same URL and the same root key file.

operator commands (keys are platform-managed; not in the tenant API):
  add-tenant TENANT                 adds a tenant, prints its admin token
  new-token TENANT                  a new admin token; the old one stops working
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
        /// Where the root key is kept, and keys and records without
        /// `database`.
        data_dir: PathBuf,
        /// The PostgreSQL database of keys and records, if not the data
        /// directory's files.
        database: Option<String>,
        /// Whether to create the demo tenants and data.
        demo: bool,
    },
    /// `operator`.
    Operator {
        /// Where the root key is kept, and keys and records without
        /// `database`.
        data_dir: PathBuf,
        /// The PostgreSQL database of keys and records, if any.
        database: Option<String>,
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
            let (mut listen, mut data_dir, mut database, mut demo) = (None, None, None, false);
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
                    "--database" => database = Some(database_url(args.next())?),
                    "--demo" => demo = true,
                    _ => return Err("serve: unknown argument".into()),
                }
            }
            Ok(Cli::Serve {
                listen: listen.ok_or("serve needs --listen ADDR")?,
                data_dir: data_dir.ok_or("serve needs --data-dir DIR")?,
                database,
                demo,
            })
        }
        Some("operator") => {
            if args.next() != Some("--data-dir") {
                return Err("operator needs --data-dir DIR first".into());
            }
            let data_dir = PathBuf::from(args.next().ok_or("--data-dir needs a directory")?);
            let mut verb = args.next().ok_or("operator needs a command")?;
            let mut database = None;
            if verb == "--database" {
                database = Some(database_url(args.next())?);
                verb = args.next().ok_or("operator needs a command")?;
            }
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
                "new-token" => Command::NewToken(arg.parse().map_err(|_| parse_err("tenant id"))?),
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
            Ok(Cli::Operator {
                data_dir,
                database,
                command,
            })
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

/// The value of `--database`: a `postgres://` or `postgresql://` URL. The
/// error never echoes it (it may hold a password).
fn database_url(value: Option<&str>) -> Result<String, String> {
    let value = value.ok_or("--database needs a postgres:// URL")?;
    if value.starts_with("postgres://") || value.starts_with("postgresql://") {
        Ok(value.to_owned())
    } else {
        Err("--database: not a postgres:// URL".into())
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
                database: None,
                demo: true
            })
        );
        assert_eq!(
            parse(&args(
                "serve --database postgres://u:pw@127.0.0.1:5432/db --listen 127.0.0.1:0 --data-dir d"
            )),
            Ok(Cli::Serve {
                listen: "127.0.0.1:0".parse().unwrap(),
                data_dir: "d".into(),
                database: Some("postgres://u:pw@127.0.0.1:5432/db".into()),
                demo: false
            })
        );
        assert!(matches!(
            parse(&args(
                "operator --data-dir d --database postgresql://127.0.0.1/db rotate tenants/acme/keys/k"
            )),
            Ok(Cli::Operator {
                database: Some(url),
                command: Command::Rotate(_),
                ..
            }) if url == "postgresql://127.0.0.1/db"
        ));
        assert!(matches!(
            parse(&args("operator --data-dir d new-token acme")),
            Ok(Cli::Operator {
                database: None,
                command: Command::NewToken(_),
                ..
            })
        ));
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
            "serve --listen 127.0.0.1:0 --data-dir d --database",
            "serve --listen 127.0.0.1:0 --data-dir d --database mysql://pw@h/db",
            "operator --data-dir d --database host=h password=pw list acme",
            "operator --data-dir d --database",
        ] {
            let err = parse(&args(bad)).unwrap_err();
            assert!(
                !err.contains("nowhere") && !err.contains("versions/01") && !err.contains("pw"),
                "{bad}: {err}"
            );
        }
    }
}
