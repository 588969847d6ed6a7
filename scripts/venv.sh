#!/usr/bin/env bash
# Create or refresh the project venv at .venv and install scripts/requirements.txt into it.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv_dir="$repo_root/.venv"
requirements="$repo_root/scripts/requirements.txt"
hash_file="$venv_dir/.requirements.sha256"

wanted_hash="$(sha256sum "$requirements" | cut -d' ' -f1)"

# Rebuild the venv when its interpreter is missing or no longer runs (for example after a Python upgrade).
if ! "$venv_dir/bin/python" -c '' 2>/dev/null; then
    rm -rf "$venv_dir"
    if ! python3 -m venv "$venv_dir"; then
        # Debian ships ensurepip in python3-venv, and a partially created venv would pass the check above next time.
        rm -rf "$venv_dir"
        echo "venv: python3 -m venv failed. On Debian, run apt-get install python3-venv and rerun this script." >&2
        exit 1
    fi
fi

if [[ -f "$hash_file" && "$(cat "$hash_file")" == "$wanted_hash" ]]; then
    echo "venv: $venv_dir is up to date"
    exit 0
fi

"$venv_dir/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
# The hash is written only after pip succeeds, so a failed install is retried on the next run.
echo "$wanted_hash" > "$hash_file"
echo "venv: installed scripts/requirements.txt into $venv_dir"
