#include "config.h"
#include "tokens.h"
#include "test-lib-util.h"
int main (int argc, char *argv[]) { test_lib_init (&argc, &argv); return g_test_run (); }
