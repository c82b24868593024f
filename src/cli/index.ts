// Placeholder until the command line lands (issue 3).
process.stderr.write('token-vault: not implemented yet\n');
process.exitCode = 1;
