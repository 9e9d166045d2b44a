; Inno Setup script: Setup.exe for the workbench (Chinese, per-machine, Program Files).
; Built by installer\build.ps1 after the PyInstaller bundle:  ISCC.exe /DAppVersion=x.y.z installer\workbench.iss
; The user's data (database, backups, logs in %LOCALAPPDATA%\workbench) is never touched by
; installing, upgrading or uninstalling.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif

[Setup]
AppId={{6F1C2B7E-3D4A-4B8E-9C55-7A1E0D2F4B10}
AppName=县民政局老年人补贴工作台
AppVersion={#AppVersion}
AppPublisher=县民政局
DefaultDirName={autopf}\老年人补贴工作台
DefaultGroupName=老年人补贴工作台
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\dist
OutputBaseFilename=Setup-workbench-{#AppVersion}
SetupIconFile=workbench.ico
UninstallDisplayIcon={app}\workbench.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
; ChineseSimplified.isl ships with Inno Setup 6.4 and later.
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "在桌面创建快捷方式"; GroupDescription: "附加快捷方式:"

[Files]
Source: "..\dist\workbench\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\老年人补贴工作台"; Filename: "{app}\workbench.exe"; Parameters: ""; IconFilename: "{app}\workbench.exe"
Name: "{group}\工作台自检"; Filename: "{cmd}"; Parameters: "/k ""{app}\workbench.exe"" selftest"
Name: "{group}\卸载老年人补贴工作台"; Filename: "{uninstallexe}"
Name: "{autodesktop}\老年人补贴工作台"; Filename: "{app}\workbench.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\workbench.exe"; Description: "启动老年人补贴工作台"; Flags: nowait postinstall skipifsilent

[Code]
var
  ServerPage: TInputQueryWizardPage;

procedure InitializeWizard;
begin
  ServerPage := CreateInputQueryPage(wpSelectTasks,
    '共享数据库 (可选)',
    '多台电脑共用一个数据库时, 填写服务器地址; 单机使用请留空。',
    '格式: postgresql://登录名@服务器:5432/数据库 (不要在此填写密码; 首次使用时在「设置」中输入, 密码保存在 Windows 凭据管理器中)');
  ServerPage.Add('服务器地址:', False);
end;

function NextButtonClick(CurPageID: Integer): Boolean;
var
  Address: String;
begin
  Result := True;
  if CurPageID = ServerPage.ID then
  begin
    Address := Trim(ServerPage.Values[0]);
    if (Address <> '') and (Pos('postgresql://', Address) <> 1) then
    begin
      MsgBox('服务器地址应以 postgresql:// 开头。', mbError, MB_OK);
      Result := False;
    end
    else if Pos(':', Copy(Address, 14, Pos('@', Address) - 14)) > 0 then
    begin
      MsgBox('请不要在地址中填写密码。', mbError, MB_OK);
      Result := False;
    end;
  end;
end;

procedure CurStepChanged(CurStep: TSetupStep);
var
  Address, Folder: String;
begin
  if CurStep = ssPostInstall then
  begin
    Address := Trim(ServerPage.Values[0]);
    Folder := ExpandConstant('{commonappdata}\workbench');
    if Address <> '' then
    begin
      ForceDirectories(Folder);
      SaveStringToFile(Folder + '\connection.json', '{"url": "' + Address + '"}', False);
    end;
  end;
end;
