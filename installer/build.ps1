# Builds the one-folder bundle and Setup.exe on Windows in one command:
#   powershell -ExecutionPolicy Bypass -File installer\build.ps1
# Needs uv (https://docs.astral.sh/uv/) and Inno Setup 6.4+ (ISCC.exe).
$ErrorActionPreference = "Stop"
Set-Location (Split-Path -Parent $PSScriptRoot)

uv sync --locked
$version = uv run python -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])"
uv run pyinstaller installer\workbench.spec --noconfirm --distpath dist --workpath build\pyinstaller
if ($LASTEXITCODE) { throw "PyInstaller failed" }

# The bundle checks itself before it is packed.
& .\dist\workbench\workbench.exe selftest
if ($LASTEXITCODE) { throw "selftest of the bundle failed" }

$iscc = Get-Command ISCC.exe -ErrorAction SilentlyContinue
if (-not $iscc) { $iscc = Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe" }
& $iscc "/DAppVersion=$version" installer\workbench.iss
if ($LASTEXITCODE) { throw "Inno Setup failed" }
Write-Host "dist\Setup-workbench-$version.exe"
