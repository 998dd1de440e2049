//! Subcommand drivers of the binary: each turns its parsed arguments into library calls,
//! prints results and maps errors to exit codes. One file per subcommand.

pub mod discover;
pub mod generate;
pub mod inspect;
pub mod plan;
pub mod rehearse;
pub mod report;

/// Reads and parses the `plan.json` at `path`, as `generate` and `report` take it; on failure
/// prints why and gives the exit code (2).
pub(crate) fn read_plan(
    path: &std::path::Path,
) -> Result<diskless_migrator::plan::Plan, diskless_migrator::exit::Exit> {
    use diskless_migrator::exit::Exit;
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        eprintln!("error: cannot read plan {shown}: {e}");
        Exit::Usage
    })?;
    diskless_migrator::generate::parse_plan(&shown, &text).map_err(|e| {
        eprintln!("{:?}", miette::Report::new(e));
        Exit::Usage
    })
}
