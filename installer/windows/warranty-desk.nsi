; 保修中心工作台 — the Windows installer, built on Linux by scripts/build-installer.sh with
; Debian's makensis (no download at build time, unlike Tauri's bundler).
;
; * Per user, no administrator rights: %LOCALAPPDATA%\Programs\保修中心工作台, registry under HKCU.
; * The data folder (%APPDATA%\WarrantyDesk\WarrantyDesk\data: database, photos, prints, the
;   default backup folder) is never inside the install folder, so an upgrade or a reinstall
;   cannot touch it; the uninstaller asks before deleting it and keeps it by default (and
;   always keeps it when run silently).
; * WebView2: checked in the registry; when missing, the Evergreen standalone installer is run
;   if IT put it beside this setup file (name below), otherwise the user is told what to get.
;
; Defines passed by the build script: VERSION (x.y.z), SRCDIR (folder with the files to ship),
; OUTFILE (the setup .exe to write).

Unicode true
Target amd64-unicode
ManifestDPIAware true
RequestExecutionLevel user
!ifdef FAST_COMPRESSION
; Test installers only (the Wine scenario's "older version"): quick to make, larger.
SetCompressor zlib
!else
SetCompressor /SOLID lzma
; The two programs each embed the same 10 MB font: a dictionary larger than one program lets
; LZMA store the second copy as a reference to the first.
SetCompressorDictSize 64
!endif

!include MUI2.nsh
!include LogicLib.nsh
!include WordFunc.nsh
!include FileFunc.nsh

!define PRODUCT "保修中心工作台"
!define PUBLISHER "Warranty Desk"
!define APPKEY "WarrantyDesk"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPKEY}"
!define WEBVIEW2_GUID "{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"
!define WEBVIEW2_SETUP "MicrosoftEdgeWebView2RuntimeInstallerX64.exe"

Name "${PRODUCT}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${PRODUCT}"
BrandingText "${PRODUCT} ${VERSION}"
ShowInstDetails show
ShowUninstDetails show

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=2052 "ProductName" "${PRODUCT}"
VIAddVersionKey /LANG=2052 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=2052 "FileDescription" "${PRODUCT} 安装程序"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "© 2026 ${PUBLISHER}"

!define MUI_ICON "${SRCDIR}/icon.ico"
!define MUI_UNICON "${SRCDIR}/icon.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\warranty-desk.exe"
!define MUI_FINISHPAGE_RUN_TEXT "启动保修中心工作台"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

Var OldVersion

Function .onInit
  SetShellVarContext current
  ; An earlier install: upgrade it in place (same folder); data is elsewhere and stays.
  ReadRegStr $OldVersion HKCU "${UNINSTKEY}" "DisplayVersion"
  ReadRegStr $0 HKCU "${UNINSTKEY}" "InstallLocation"
  ${If} $0 != ""
    StrCpy $INSTDIR $0
  ${EndIf}
  ${If} $OldVersion != ""
    ${VersionCompare} $OldVersion "${VERSION}" $1
    ${If} $1 == 1
      MessageBox MB_YESNO|MB_ICONEXCLAMATION "本机已安装较新的版本 $OldVersion，确定要安装旧版本 ${VERSION} 吗？$\n$\n数据不会丢失，但旧版本可能无法打开新版本的数据库。" /SD IDNO IDYES +2
      Abort
    ${EndIf}
  ${EndIf}
FunctionEnd

; True (1) when the WebView2 runtime is registered for the machine or for this user.
Function WebView2Present
  Push $0
  ReadRegStr $0 HKLM "SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_GUID}" "pv"
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    ReadRegStr $0 HKCU "Software\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_GUID}" "pv"
  ${EndIf}
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    StrCpy $0 0
  ${Else}
    StrCpy $0 1
  ${EndIf}
  Exch $0
FunctionEnd

Section "!${PRODUCT}" SecMain
  SectionIn RO
  SetShellVarContext current
  SetOutPath "$INSTDIR"

  ; A running copy locks its .exe: ask the user to close it instead of half-upgrading.
  retry:
  ClearErrors
  ${If} ${FileExists} "$INSTDIR\warranty-desk.exe"
    Delete "$INSTDIR\warranty-desk.exe"
    ${If} ${FileExists} "$INSTDIR\warranty-desk.exe"
      MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "保修中心工作台正在运行，请先关闭它，再点「重试」。" /SD IDCANCEL IDRETRY retry
      Abort "保修中心工作台正在运行，安装未完成。"
    ${EndIf}
  ${EndIf}

  File "${SRCDIR}/warranty-desk.exe"
  File "${SRCDIR}/wdesk.exe"
  File "${SRCDIR}/WebView2Loader.dll"
  File "${SRCDIR}/icon.ico"
  ; The form font every PDF is printed in (read from here when printing; not embedded in the
  ; programs, where it would stay mapped in the app's memory all day).
  SetOutPath "$INSTDIR\fonts"
  File "${SRCDIR}/fonts/NotoSansSC-Regular.ttf"
  SetOutPath "$INSTDIR\licenses"
  File "${SRCDIR}/licenses/*.txt"
  SetOutPath "$INSTDIR"

  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortCut "$SMPROGRAMS\${PRODUCT}.lnk" "$INSTDIR\warranty-desk.exe" "" "$INSTDIR\icon.ico" 0
  CreateShortCut "$DESKTOP\${PRODUCT}.lnk" "$INSTDIR\warranty-desk.exe" "" "$INSTDIR\icon.ico" 0

  ; 应用和功能 (Apps & features), per user.
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "${PRODUCT}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\icon.ico"
  WriteRegStr HKCU "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTKEY}" "EstimatedSize" "$0"

  ; WebView2 draws the window. Without network the bootstrapper cannot help, so IT may put
  ; the Evergreen standalone installer beside this setup file.
  Call WebView2Present
  Pop $0
  ${If} $0 == 0
    ${If} ${FileExists} "$EXEDIR\${WEBVIEW2_SETUP}"
      DetailPrint "正在安装 Microsoft Edge WebView2 运行时…"
      ExecWait '"$EXEDIR\${WEBVIEW2_SETUP}" /silent /install' $1
      DetailPrint "WebView2 安装程序结束（代码 $1）"
    ${Else}
      DetailPrint "未找到 WebView2 运行时"
      MessageBox MB_OK|MB_ICONINFORMATION "本机未安装 Microsoft Edge WebView2 运行时，保修中心工作台需要它才能显示窗口。$\n$\nWindows 10/11 一般已自带。若没有：请在能上网的电脑上从$\nhttps://developer.microsoft.com/zh-cn/microsoft-edge/webview2/$\n下载「常青版独立安装程序」x64（文件名 ${WEBVIEW2_SETUP}），$\n把它放在本安装程序旁边后重新运行安装，或直接运行它。" /SD IDOK
    ${EndIf}
  ${EndIf}
SectionEnd

Function un.onInit
  SetShellVarContext current
FunctionEnd

Section "Uninstall"
  SetShellVarContext current
  Delete "$INSTDIR\warranty-desk.exe"
  Delete "$INSTDIR\wdesk.exe"
  Delete "$INSTDIR\WebView2Loader.dll"
  Delete "$INSTDIR\icon.ico"
  RMDir /r "$INSTDIR\fonts"
  RMDir /r "$INSTDIR\licenses"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${PRODUCT}.lnk"
  Delete "$DESKTOP\${PRODUCT}.lnk"
  DeleteRegKey HKCU "${UNINSTKEY}"

  ; The data belongs to the center, not to the program: kept unless the user says otherwise
  ; (a silent uninstall always keeps it).
  ${If} ${FileExists} "$APPDATA\WarrantyDesk\WarrantyDesk\data\*.*"
    MessageBox MB_YESNO|MB_ICONQUESTION|MB_DEFBUTTON2 "是否同时删除保修中心工作台的全部数据？$\n（报修单、保修金台账、照片、打印件，以及数据文件夹里的备份）$\n$\n$APPDATA\WarrantyDesk$\n$\n选「否」保留数据：重新安装后可继续使用。" /SD IDNO IDYES deldata
    DetailPrint "已保留数据文件夹：$APPDATA\WarrantyDesk"
    Goto done
    deldata:
    RMDir /r "$APPDATA\WarrantyDesk"
    DetailPrint "已删除数据文件夹"
    done:
  ${EndIf}
SectionEnd
