#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""screenshots.py DIR — PNGs of the app's pages and dialogs, in English and
Portuguese (DIR/en/*.png, DIR/pt_BR/*.png), from the real app under Xvfb
against a real local service (run by `build-aux/dev screenshots` inside
tests/harness/session-run, with the build tree's environment).

The app is driven through the accessibility tree, as the UI tests do. Each
language gets a first run of its own: its own service database, its own
settings. Secrets are hidden again before a shot is taken."""

import datetime
import os
import random
import subprocess
import sys
import tempfile
import time
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'tests', 'harness'))

from tokens_harness import App, CHECK_BOX, LABEL, PUSH_BUTTON, TEXT, wait_until  # noqa: E402

WORDS = {
    'en': {
        'env': {'LANGUAGE': 'en'},
        'next': 'Next', 'finish': 'Finish', 'email': 'Email', 'password': 'Password',
        'step2': 'Step 2 of 4: Sign In', 'step3': 'Step 3 of 4: API Token', 'step4': 'Step 4 of 4: Keep It Safe',
        'hide': 'Hide Token', 'reset': 'Reset Token…', 'reset_title': 'Reset API Token?', 'cancel': 'Cancel',
        'access': 'Access Tokens', 'security': 'Security', 'api_key': 'API Key', 'menu': 'Main Menu',
        'preferences': 'Preferences', 'server': 'A Server', 'address': 'Server Address',
        'generate': 'Generate Token', 'new_token': 'New Access Token', 'generate_btn': 'Generate',
        'renew_btn': 'Renew', 'name': 'Name', 'write': 'write', 'finish_btn': 'Finish',
        'renew': 'Renew Token', 'renew_item': 'Renew Token…', 'actions': 'Actions for {}',
        'configure': 'Configure Now', 'activate': 'Activate Token…', 'activate_title': 'Activate Token?',
        'token_name': 'CI server', 'profile': 'Profile', 'sign_out': 'Sign Out', 'sign_in_again': 'Sign In Again',
        'close': 'Close', 'kept': 'Kept Tokens', 'kept_empty': 'No kept tokens yet.',
        'add_kept': 'Add Existing Token', 'token': 'Token', 'used_in': 'Where It Is Used',
        'expiry': 'Expiry Date (YYYY-MM-DD)', 'keep': 'Keep', 'kept_name': 'Deploy from CI',
        'kept_used_in': 'CI server', 'other_name': 'Weather API', 'other_used_in': 'Laptop',
    },
    'pt_BR': {
        'env': {'LANGUAGE': 'pt_BR'},
        'next': 'Avançar', 'finish': 'Finalizar', 'email': 'Email', 'password': 'Senha',
        'step2': 'Etapa 2 de 4: Entrar', 'step3': 'Etapa 3 de 4: Token da API',
        'step4': 'Etapa 4 de 4: Mantenha-o seguro', 'hide': 'Ocultar token', 'reset': 'Resetar token…',
        'reset_title': 'Resetar o token da API?', 'cancel': 'Cancelar', 'access': 'Tokens de acesso',
        'security': 'Segurança', 'api_key': 'API Key', 'menu': 'Menu principal',
        'preferences': 'Preferências', 'server': 'Um servidor', 'address': 'Endereço do servidor',
        'generate': 'Gerar token', 'new_token': 'Novo token de acesso', 'generate_btn': 'Gerar',
        'renew_btn': 'Renovar', 'name': 'Nome', 'write': 'escrita', 'finish_btn': 'Finalizar',
        'renew': 'Renovar token', 'renew_item': 'Renovar token…', 'actions': 'Ações de {}',
        'configure': 'Configurar agora', 'activate': 'Ativar token…', 'activate_title': 'Ativar token?',
        'token_name': 'Servidor de CI', 'profile': 'Perfil', 'sign_out': 'Sair da conta',
        'sign_in_again': 'Entrar novamente', 'close': 'Fechar', 'kept': 'Tokens guardados',
        'kept_empty': 'Nenhum token guardado ainda.', 'add_kept': 'Adicionar token existente', 'token': 'Token',
        'used_in': 'Onde é usado', 'expiry': 'Data de expiração (AAAA-MM-DD)', 'keep': 'Guardar',
        'kept_name': 'Deploy pelo CI', 'kept_used_in': 'Servidor de CI', 'other_name': 'API do clima',
        'other_used_in': 'Notebook',
    },
}


BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'


def made_up_github_token():
    """GitHub's classic shape with a right checksum, issued by no one."""
    body = ''.join(random.choice(BASE62) for _ in range(30))
    crc, digits = zlib.crc32(body.encode()), ''
    for _ in range(6):
        crc, digit = divmod(crc, 62)
        digits = BASE62[digit] + digits
    return 'ghp_' + body + digits


def keep(app, words, secret, name, used_in, expires=''):
    app.key('ctrl+shift+n')
    dialog = app.top(words['add_kept'])
    app.type_text(app.find(TEXT, words['token'], dialog), secret)
    app.type_text(app.find(TEXT, words['name'], dialog), name)
    app.type_text(app.find(TEXT, words['used_in'], dialog), used_in)
    if expires:
        app.type_text(app.find(TEXT, words['expiry'], dialog), expires)
    return dialog


def windows_of(app):
    result = subprocess.run(['xdotool', 'search', '--onlyvisible', '--pid', str(app.process.pid)],
                            capture_output=True, text=True, timeout=15)
    return result.stdout.split()


def shot(app, path, newest=False):
    """The app's main window, or with newest=True its newest window (a dialog)."""
    time.sleep(0.6)   # let transitions and spinners settle
    window = wait_until(lambda: windows_of(app), what='a window to photograph')
    target = window[-1] if newest else window[0]
    subprocess.run(['import', '-window', target, path], check=True, timeout=30)
    print('  ' + os.path.basename(path))


def take(out, words, data_home, width=None):
    # One keyring for both languages: each starts with no kept token.
    subprocess.run(['secret-tool', 'clear', 'xdg:schema', 'org.example.Tokens.Kept'], timeout=10)
    env = dict(words['env'], GSETTINGS_BACKEND='memory', XDG_DATA_HOME=data_home)
    if width:
        # A narrow window (TOKENS_SHOTS_WIDTH=360): its size in settings of its own.
        config = os.path.join(data_home, 'config')
        os.makedirs(os.path.join(config, 'glib-2.0', 'settings'))
        with open(os.path.join(config, 'glib-2.0', 'settings', 'keyfile'), 'w') as keyfile:
            keyfile.write(f'[org/example/Tokens]\nwindow-width={width}\n')
        env.update(GSETTINGS_BACKEND='keyfile', XDG_CONFIG_HOME=config)
    with App(env=env) as app:
        window = app.top('Tokens')
        shot(app, os.path.join(out, 'onboarding-1-service.png'))

        app.click(app.find(None, words['server'], window))
        app.type_text(app.find(TEXT, words['address'], window), 'https://tokens.example.org')
        shot(app, os.path.join(out, 'onboarding-1-server.png'))
        app.click(app.find(None, words['server'], window))          # back to this computer
        app.click(app.find(None, 'This Computer' if words is WORDS['en'] else 'Este computador', window))

        app.click(app.find(PUSH_BUTTON, words['next'], window))
        app.find(LABEL, words['step2'], window)
        app.type_text(app.find(TEXT, words['email'], window), 'ana@example.org')
        app.type_text(app.find(TEXT, words['password'], window), 'correct horse battery staple')
        shot(app, os.path.join(out, 'onboarding-2-sign-in.png'))

        app.click(app.find(PUSH_BUTTON, words['next'], window))
        app.find(LABEL, words['step3'], window, timeout=30)
        shot(app, os.path.join(out, 'onboarding-3-api-token.png'))   # hidden until the eye shows it

        app.click(app.find(PUSH_BUTTON, words['next'], window))
        app.find(LABEL, words['step4'], window)
        shot(app, os.path.join(out, 'onboarding-4-keep-it-safe.png'))

        app.click(app.find(PUSH_BUTTON, words['finish'], window))
        app.find(PUSH_BUTTON, words['reset'], window)
        shot(app, os.path.join(out, 'api-key.png'))

        app.click(app.find(PUSH_BUTTON, words['reset'], window))
        dialog = app.top(words['reset_title'])
        shot(app, os.path.join(out, 'reset-token-dialog.png'), newest=True)
        app.click(app.find(PUSH_BUTTON, words['cancel'], dialog))
        app.top_gone(words['reset_title'])
        window = app.top('Tokens')

        for page, name in (('access', 'access-tokens-empty.png'), ('security', 'security.png')):
            app.click(app.find(None, words[page], window))
            shot(app, os.path.join(out, name))

        # Access Tokens: generate, shown once, the list, renew.
        app.click(app.find(None, words['access'], window))
        app.click(app.find(PUSH_BUTTON, words['generate'], window))
        dialog = app.top(words['new_token'])
        app.type_text(app.find(TEXT, words['name'], dialog), words['token_name'])
        app.click(app.find(CHECK_BOX, words['write'], dialog))
        shot(app, os.path.join(out, 'generate-token.png'), newest=True)
        app.click(app.find(PUSH_BUTTON, words['generate_btn'], dialog))
        app.click(app.find(None, words['hide'], dialog))
        shot(app, os.path.join(out, 'generate-token-shown.png'), newest=True)
        app.click(app.find(PUSH_BUTTON, words['finish_btn'], dialog))
        app.top_gone(words['new_token'])
        window = app.top('Tokens')
        app.find(LABEL, words['token_name'], window)
        shot(app, os.path.join(out, 'access-tokens.png'))

        app.click(app.find(None, words['actions'].format(words['token_name']), window))
        app.click(app.find(None, words['renew_item']))
        dialog = app.top(words['renew'])
        shot(app, os.path.join(out, 'renew-token-ask.png'), newest=True)
        app.click(app.find(PUSH_BUTTON, words['renew_btn'], dialog))
        app.click(app.find(None, words['hide'], dialog))
        shot(app, os.path.join(out, 'renew-token.png'), newest=True)
        app.click(app.find(PUSH_BUTTON, words['finish_btn'], dialog))
        app.top_gone(words['renew'])
        window = app.top('Tokens')
        shot(app, os.path.join(out, 'access-tokens-renewed.png'))

        # Security: configured, disabled, and the activation's question.
        app.click(app.find(None, words['security'], window))
        app.click(app.find(PUSH_BUTTON, words['configure'], window))
        app.click(app.find(None, words['hide'], window))
        shot(app, os.path.join(out, 'security-configured.png'))
        app.click(app.find(PUSH_BUTTON, words['activate'], window))
        dialog = app.top(words['activate_title'])
        shot(app, os.path.join(out, 'activate-token-dialog.png'), newest=True)
        app.click(app.find(PUSH_BUTTON, words['cancel'], dialog))
        app.top_gone(words['activate_title'])
        window = app.top('Tokens')

        # Kept Tokens: empty, adding a GitHub token (recognised), the list.
        app.click(app.find(None, words['kept'], window))
        app.find(LABEL, words['kept_empty'], window)
        shot(app, os.path.join(out, 'kept-tokens-empty.png'))
        soon = (datetime.date.today() + datetime.timedelta(days=12)).isoformat()
        dialog = keep(app, words, made_up_github_token(), words['kept_name'], words['kept_used_in'], soon)
        app.find(LABEL, 'GitHub', dialog)
        shot(app, os.path.join(out, 'add-existing-token.png'), newest=True)
        app.click(app.find(PUSH_BUTTON, words['keep'], dialog))
        app.top_gone(words['add_kept'])
        dialog = keep(app, words, 'wx-' + ''.join(random.choice(BASE62) for _ in range(32)),
                      words['other_name'], words['other_used_in'])
        app.click(app.find(PUSH_BUTTON, words['keep'], dialog))
        app.top_gone(words['add_kept'])
        window = app.top('Tokens')
        app.find(LABEL, words['other_name'], window)
        shot(app, os.path.join(out, 'kept-tokens.png'))

        app.click(app.find(None, words['api_key'], window))

        app.click(app.find(None, words['menu'], window))
        app.click(app.find(None, words['preferences']))
        app.top(words['preferences'])
        shot(app, os.path.join(out, 'preferences.png'), newest=True)
        app.key('Escape', window=words['preferences'])
        app.top_gone(words['preferences'])
        window = app.top('Tokens')

        # The profile menu, then signed out on purpose, and back in.
        app.click(app.find(None, words['profile'], window))
        time.sleep(0.6)
        subprocess.run(['import', '-window', 'root', os.path.join(out, 'profile-menu.png')], check=True, timeout=30)
        print('  profile-menu.png')
        app.click(app.find(None, words['sign_out']))
        app.find(PUSH_BUTTON, words['sign_in_again'], window)
        shot(app, os.path.join(out, 'signed-out.png'))
        app.click(app.find(PUSH_BUTTON, words['sign_in_again'], window))
        app.find(LABEL, words['step2'], window)
        shot(app, os.path.join(out, 'sign-in-again.png'))


def main():
    top = sys.argv[1]
    width = os.environ.get('TOKENS_SHOTS_WIDTH')
    for language, words in WORDS.items():
        out = os.path.join(top, f'{language}-{width}' if width else language)
        os.makedirs(out, exist_ok=True)
        print(f'{language}:')
        with tempfile.TemporaryDirectory() as data_home:
            take(out, words, data_home, width)


if __name__ == '__main__':
    main()
