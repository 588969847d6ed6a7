# Shared by scripts/dev and scripts/test: the local AWS environment and the moto lifecycle.
# Source it; it defines functions and exports variables, and runs nothing else.

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state_dir="$repo_root/.local"

# Fake credentials and a region, so the AWS SDK never looks for real ones or probes
# instance metadata; every client talks to moto through AWS_ENDPOINT_URL.
export AWS_ACCESS_KEY_ID=test
export AWS_SECRET_ACCESS_KEY=test
export AWS_REGION=us-east-1
export AWS_DEFAULT_REGION=us-east-1
export AWS_EC2_METADATA_DISABLED=true
export AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH=true
export SAM_CLI_TELEMETRY=0

# Prints a free TCP port on 127.0.0.1.
free_port() {
    "$repo_root/.venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Succeeds when something listens on 127.0.0.1:$1.
port_in_use() {
    "$repo_root/.venv/bin/python" -c 'import socket, sys; s = socket.socket(); sys.exit(0 if s.connect_ex(("127.0.0.1", int(sys.argv[1]))) == 0 else 1)' "$1"
}

# Starts a moto on 127.0.0.1:$1 in the background and waits until it serves; sets
# LAUNCHED_PID. Its output goes to .local/moto-$1.log.
launch_moto() {
    local port="$1"
    mkdir -p "$state_dir"
    local log="$state_dir/moto-$port.log"
    "$repo_root/.venv/bin/python" "$repo_root/scripts/moto_server.py" --host 127.0.0.1 --port "$port" >"$log" 2>&1 &
    LAUNCHED_PID=$!
    MOTO_PIDS+=("$LAUNCHED_PID")

    local attempt
    for attempt in $(seq 1 100); do
        if grep -q "moto listening" "$log" 2>/dev/null; then
            return 0
        fi
        if ! kill -0 "$LAUNCHED_PID" 2>/dev/null; then
            echo "moto failed to start; its log $log follows:" >&2
            cat "$log" >&2
            return 1
        fi
        sleep 0.2
    done
    echo "moto did not start within 20 s; see $log" >&2
    return 1
}

# Starts moto for every AWS service on 127.0.0.1:$1 and points the SDK at it; sets MOTO_PID.
start_moto() {
    launch_moto "$1"
    MOTO_PID=$LAUNCHED_PID
    export AWS_ENDPOINT_URL="http://127.0.0.1:$1"
}

# Starts a second moto on 127.0.0.1:$1 for SES alone, so reading sent mail back does not
# serialize every DynamoDB table; sets MAIL_MOTO_PID.
start_mail_moto() {
    launch_moto "$1"
    MAIL_MOTO_PID=$LAUNCHED_PID
    export AWS_ENDPOINT_URL_SESV2="http://127.0.0.1:$1"
}

# Stops every moto this script started, by its PID.
stop_moto() {
    local pid
    for pid in "${MOTO_PIDS[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            kill "$pid"
            wait "$pid" 2>/dev/null || true
        fi
    done
    MOTO_PIDS=()
}

MOTO_PIDS=()

# Prints the Cargo binary of every function in template.yaml, one per line.
template_binaries() {
    sed -n 's/^ *Binary: *//p' "$repo_root/template.yaml"
}

# Prepares the arm64 cross build: the Rust target, and the venv's cargo-lambda and zig
# first on PATH.
use_cross_toolchain() {
    rustup target add aarch64-unknown-linux-gnu >/dev/null
    export PATH="$repo_root/.venv/bin:$PATH"
}

# Builds every function's arm64 binary with cargo-lambda in one Cargo run, so that the
# linker runs in parallel and `sam build` finds every binary up to date. $1 is the Cargo
# profile (default release); any further arguments are more binaries to build.
build_arm64() {
    local profile="${1:-release}"
    shift || true
    local arguments=("$@")
    local binary
    while read -r binary; do
        arguments+=(--bin "$binary")
    done < <(template_binaries)
    cargo lambda build --profile "$profile" --arm64 --locked \
        --lambda-dir "$(lambda_dir "$profile")" "${arguments[@]}"
}

# Prints where cargo-lambda puts the arm64 binaries of profile $1, as <binary>/bootstrap.
# The release profile uses cargo-lambda's default, which `sam build` reads.
lambda_dir() {
    local target_dir="${CARGO_TARGET_DIR:-$repo_root/target}"
    if [[ "$1" == "release" ]]; then
        echo "$target_dir/lambda"
    else
        echo "$target_dir/lambda-$1"
    fi
}
