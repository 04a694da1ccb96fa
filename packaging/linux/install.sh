#!/bin/sh
# Installs the Memex desktop app from this unpacked tarball, for you alone (no root needed):
#   the bundle        -> $PREFIX/lib/memex          (PREFIX defaults to ~/.local)
#   the command       -> $PREFIX/bin/memex          (a link to the bundle's executable)
#   the menu entry    -> ~/.local/share/applications/memex.desktop  ("Open with Memex" for
#                        PDF, EPUB, SRT and VTT files)
#   the icons         -> ~/.local/share/icons/hicolor/<size>/apps/memex.png (and scalable .svg)
#
#   ./install.sh [--prefix DIR]            install, or replace an earlier install
#   ./install.sh --uninstall [--prefix DIR] [--purge]
#                                          remove the app; your libraries, settings and
#                                          conversations stay unless --purge is given
#
# Your data lives where the platform keeps it, never inside the bundle:
#   ${XDG_DATA_HOME:-~/.local/share}/memex     libraries (documents, memory, KV states)
#   ${XDG_CONFIG_HOME:-~/.config}/memex        the model chosen for every library
#   ${XDG_CONFIG_HOME:-~/.config}/Memex        the window's settings
set -eu

here=$(cd "$(dirname "$0")" && pwd)
prefix="$HOME/.local"
mode=install
purge=0
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#--prefix=}; shift ;;
    --uninstall) mode=uninstall; shift ;;
    --purge) purge=1; shift ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done
[ $purge = 1 ] && [ $mode = install ] && { echo "install.sh: --purge goes with --uninstall" >&2; exit 2; }

data_home=${XDG_DATA_HOME:-$HOME/.local/share}
config_home=${XDG_CONFIG_HOME:-$HOME/.config}
apps="$data_home/applications"
icons="$data_home/icons/hicolor"
sizes="16 24 32 48 64 128 256 512"

refresh() {   # best effort: menus and "Open with" lists pick the entry up without a re-login
  command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$apps" || true
  command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$icons" 2>/dev/null || true
}

if [ $mode = uninstall ]; then
  rm -rf "$prefix/lib/memex"
  [ -L "$prefix/bin/memex" ] && rm -f "$prefix/bin/memex"
  rm -f "$apps/memex.desktop" "$icons/scalable/apps/memex.svg"
  for s in $sizes; do rm -f "$icons/${s}x${s}/apps/memex.png"; done
  refresh
  if [ $purge = 1 ]; then
    rm -rf "$data_home/memex" "$config_home/memex" "$config_home/Memex"
    echo "Memex removed, with your libraries and settings."
  else
    echo "Memex removed. Your libraries and settings are kept in $data_home/memex," \
         "$config_home/memex and $config_home/Memex (remove them with --uninstall --purge)."
  fi
  exit 0
fi

[ -x "$here/memex/memex" ] || { echo "install.sh: $here/memex/memex is missing; run me from the unpacked tarball" >&2; exit 1; }
mkdir -p "$prefix/lib" "$prefix/bin" "$apps" "$icons/scalable/apps"
rm -rf "$prefix/lib/memex.new"
cp -a "$here/memex" "$prefix/lib/memex.new"
rm -rf "$prefix/lib/memex"
mv "$prefix/lib/memex.new" "$prefix/lib/memex"
ln -sfn "$prefix/lib/memex/memex" "$prefix/bin/memex"
for s in $sizes; do
  mkdir -p "$icons/${s}x${s}/apps"
  cp "$here/memex-$s.png" "$icons/${s}x${s}/apps/memex.png"
done
cp "$here/memex.svg" "$icons/scalable/apps/memex.svg"
# the entry runs the installed bundle by its full path: ~/.local/bin need not be on PATH
sed "s|^Exec=memex |Exec=\"$prefix/lib/memex/memex\" |" "$here/memex.desktop" > "$apps/memex.desktop"
refresh
echo "Memex installed in $prefix/lib/memex; start it from the menu or with $prefix/bin/memex."
echo "Check it with: $prefix/bin/memex --selftest"
