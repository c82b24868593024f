@echo off
rem token-vault: the Token Vault command line, run by the app's own binary (it needs no Node).
rem Add this folder (resources\bin in the install folder) to PATH to type token-vault anywhere.
"%~dp0..\..\Token Vault.exe" --cli %*
exit /b %ERRORLEVEL%
