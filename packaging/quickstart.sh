#!/usr/bin/env bash
# QuantDesk quick start for Debian 12 / Ubuntu 24.04:
#   packaging/quickstart.sh run    install what is missing, build, start the app on a bundled example
#   packaging/quickstart.sh test   install what is missing, build (warnings are errors), run the whole test suite
set -euo pipefail

mode="${1:-}"
if [[ "$mode" != run && "$mode" != test ]]; then
    echo "usage: $0 run|test" >&2
    exit 2
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${QUANTDESK_BUILD_DIR:-$root/build}"

packages=(
    build-essential cmake ninja-build pkg-config python3
    qt6-base-dev qt6-base-dev-tools qt6-svg-dev libqt6svg6 qt6-qpa-plugins libqt6sql6-sqlite libgl-dev
    nlohmann-json3-dev libqcustomplot-dev qtkeychain-qt6-dev
    openssh-client openssh-server xvfb xauth
)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "Installing: ${missing[*]}"
    sudo=""
    if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

jobs="$(nproc 2>/dev/null || echo 2)"
if [[ "$mode" == test ]]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DQUANTDESK_WERROR=ON
    cmake --build "$build" -j "$jobs"
    cd "$build"
    QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j "$jobs"
else
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
    cmake --build "$build" -j "$jobs" --target quantdesk quantdesk-cli
    exec "$build/app/quantdesk" "$root/examples/quant_preset_task.json"
fi
