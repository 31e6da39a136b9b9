#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The app's start-up, measured as a person feels it: from launch to the
window's first frame, and to the API Key page of a signed-in account (its
service answering), with the resident memory then — beside a bare GTK 4 +
libadwaita window (built here) measured the same way in the same run.
Both print "bench: first-frame" from the frame clock's after-paint; the
figures are medians of RUNS launches. Run by app.sh inside a session."""

import collections
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..', 'tests', 'harness'))
from tokens_harness import Server, signed_in_account  # noqa: E402

RUNS = int(os.environ.get('RUNS', '10'))

BARE = r'''
#include <adwaita.h>
static void painted (GdkFrameClock *clock, gpointer data)
{
  static gboolean said;
  if (!said) { said = TRUE; g_print ("bench: first-frame\n"); }
}
static void realized (GtkWidget *window) {
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (painted), NULL);
}
static void activate (GApplication *app) {
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *page = adw_status_page_new ();
  adw_status_page_set_title (ADW_STATUS_PAGE (page), "Bare");
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), page);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 640);
  g_signal_connect (window, "realize", G_CALLBACK (realized), NULL);
  gtk_window_present (GTK_WINDOW (window));
}
int main (int argc, char **argv) {
  g_autoptr(AdwApplication) app = adw_application_new ("org.example.TokensBare", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (activate), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
'''


def build_bare(tmp):
    source = os.path.join(tmp, 'bare.c')
    binary = os.path.join(tmp, 'bare')
    with open(source, 'w') as f:
        f.write(BARE)
    flags = subprocess.run(['pkg-config', '--cflags', '--libs', 'libadwaita-1'],
                           capture_output=True, text=True, check=True).stdout.split()
    subprocess.run(['cc', '-O2', '-o', binary, source, *flags], check=True)
    return binary


def rss_kib(pid):
    with open(f'/proc/{pid}/status') as status:
        for line in status:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    return 0


def mapped_libraries(pid):
    """The shared objects a process has mapped (its code, not its data)."""
    with open(f'/proc/{pid}/maps') as maps:
        return {line.split()[-1] for line in maps
                if '.so' in line.rsplit('/', 1)[-1] and line.split()[-1].startswith('/')}


def launch(argv, env, markers, libraries=None):
    """Seconds from launch to each marker, and the RSS at the last one;
    the shared objects mapped then are counted in `libraries`."""
    full_env = dict(os.environ, GDK_DEBUG='gl-disable', TOKENS_BENCH='1', **env)
    start = time.monotonic()
    process = subprocess.Popen(argv, env=full_env, stdout=subprocess.PIPE, text=True,
                               stderr=subprocess.DEVNULL)
    seen = {}
    try:
        while len(seen) < len(markers):
            line = process.stdout.readline()
            if not line:
                raise RuntimeError(f'{argv[0]} exited before {markers}')
            for marker in markers:
                if line.strip() == f'bench: {marker}':
                    seen[marker] = time.monotonic() - start
        time.sleep(0.2)   # let the frame settle before reading memory
        rss = rss_kib(process.pid)
        if libraries is not None:
            libraries.update(mapped_libraries(process.pid))
    finally:
        process.terminate()
        process.wait(timeout=10)
    return seen, rss


def make_tokens(server, api_token, count):
    """`count` access tokens, over the API as anyone would make them."""
    import http.client
    import json
    host, port = server.url.rsplit('/', 1)[-1].split(':')
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    for i in range(count):
        body = json.dumps({'name': f'token {i:05d} ci-runner-{i % 97}', 'scopes': ['read'],
                           'expires_in_days': 30 + i % 300})
        connection.request('POST', '/v1/tokens', body,
                           {'Authorization': f'Bearer {api_token}', 'Content-Type': 'application/json'})
        reply = connection.getresponse()
        reply.read()
        if reply.status != 201:
            raise RuntimeError(f'creating token {i}: {reply.status}')
    connection.close()


def type_in_search(app_pid, text):
    """Types into the Access Tokens page's search field through the
    accessibility tree, one keystroke at a time, and returns the app's
    own figure for each: from the text changing to the filtered frame."""
    from tokens_harness import App
    import gi
    gi.require_version('Atspi', '2.0')
    from gi.repository import Atspi
    desktop = Atspi.get_desktop(0)
    root = next(desktop.get_child_at_index(i) for i in range(desktop.get_child_count())
                if desktop.get_child_at_index(i).get_process_id() == app_pid)
    app = App.__new__(App)
    app.root = root
    entry = app.find(None, 'Search tokens')
    for i in range(1, len(text) + 1):
        App.type_text(entry, text[:i])
        time.sleep(0.3)


def cpu_ms(words):
    """The "K cpu-us" of a probe's line; NaN from a build without it."""
    return int(words[6]) / 1000 if len(words) > 6 else float('nan')


def bench_token_page(app, env, server, api_token, count):
    make_tokens(server, api_token, count)
    full_env = dict(os.environ, GDK_DEBUG='gl-disable', TOKENS_BENCH='1',
                    TOKENS_BENCH_PAGE='access-tokens', **env)
    full_env.pop('NO_AT_BRIDGE', None)
    start = time.monotonic()
    log = tempfile.TemporaryFile(mode='w+')
    process = subprocess.Popen([app], env=full_env, stdout=subprocess.PIPE, text=True, stderr=log)
    launch_to_rows = rows_frame = None
    filters = []
    try:
        while rows_frame is None:
            line = process.stdout.readline()
            if not line:
                log.seek(0)
                raise RuntimeError('the app exited: ' + log.read())
            if line.startswith('bench: rows-frame'):
                launch_to_rows = (time.monotonic() - start) * 1000
                rows_frame = int(line.split()[2]) / 1000
        # "bench: filter-frame N us M rows K cpu-us": the wait, and the
        # main thread's CPU time in it (steadier on a busy machine)
        reader = __import__('threading').Thread(
            target=lambda: filters.extend((int(l.split()[2]) / 1000, cpu_ms(l.split()))
                                          for l in process.stdout
                                          if l.startswith('bench: filter-frame')), daemon=True)
        reader.start()
        type_in_search(process.pid, 'ci-runner-42')
        time.sleep(1)
        rss = rss_kib(process.pid) / 1024
    finally:
        process.terminate()
        process.wait(timeout=10)
    print(f'access tokens {count} tokens: launch to first rows {launch_to_rows:.1f} ms, '
          f'page load to first rows {rows_frame:.1f} ms (aim < 250 ms), RSS {rss:.1f} MiB')
    if filters:
        waits = [wait for wait, _ in filters]
        cpus = [cpu for _, cpu in filters]
        print('each keystroke, ms:', ' '.join(f'{f:.0f}' for f in waits))
        print('each keystroke, main thread CPU ms:', ' '.join(f'{f:.0f}' for f in cpus))
        print(f'filter keystroke to filtered frame: median {statistics.median(waits):.1f} ms, '
              f'max {max(waits):.1f} ms over {len(waits)} keystrokes (aim < 16 ms); '
              f'CPU median {statistics.median(cpus):.1f} ms, max {max(cpus):.1f} ms')


def main():
    build = sys.argv[1]
    # TOKENS_BENCH_APP: another build of the app (a "before" binary), for
    # before/after runs side by side on a busy machine.
    app = os.environ.get('TOKENS_BENCH_APP', os.path.join(build, 'src', 'app', 'tokens'))
    with tempfile.TemporaryDirectory() as tmp, Server('--allow-signup') as server:
        bare = build_bare(tmp)
        env, api_token = signed_in_account(server)
        results = {'bare': [], 'app': []}
        libraries = {'bare': collections.Counter(), 'app': collections.Counter()}
        for _ in range(RUNS):
            results['bare'].append(launch([bare], {}, ['first-frame'], libraries['bare']))
            results['app'].append(launch([app], env, ['first-frame', 'api-key-page'], libraries['app']))
        if os.environ.get('TOKENS', '10000') != '0':
            bench_token_page(app, env, server, api_token, int(os.environ.get('TOKENS', '10000')))

    def median(name, marker):
        return statistics.median(seen[marker] for seen, _ in results[name]) * 1000

    def memory(name):
        return statistics.median(rss for _, rss in results[name]) / 1024

    bare_frame, app_frame = median('bare', 'first-frame'), median('app', 'first-frame')
    app_page = median('app', 'api-key-page')
    bare_rss, app_rss = memory('bare'), memory('app')
    print(f'runs: {RUNS} each, GDK_DEBUG=gl-disable, medians')
    print(f'bare window   first frame {bare_frame:7.1f} ms   RSS {bare_rss:6.1f} MiB')
    print(f'tokens        first frame {app_frame:7.1f} ms   RSS {app_rss:6.1f} MiB')
    print(f'tokens        API Key page {app_page:6.1f} ms   (signed in, its service answered)')
    # What the app loads that a bare window does not: each is memory.
    # (in how many of the runs: some come only with a slow start)
    extra = sorted(f'{os.path.basename(lib)}({n}/{RUNS})' for lib, n in libraries['app'].items()
                   if lib not in libraries['bare'])
    print('tokens        libraries a bare window does not map:', ' '.join(extra) or 'none')
    print(f'ratio         first frame {app_frame / bare_frame:.2f}x (aim <= 1.3x)   '
          f'API Key page {app_page / bare_frame:.2f}x   memory {app_rss / bare_rss:.2f}x (aim <= 1.2x)')


if __name__ == '__main__':
    main()
