/*
 * recv_exec.c - the exec receiver: one run of a configured command per
 * action, the action's JSON (one line, newline-terminated) on its standard
 * input (docs/provisioning.md, "Exec receiver").
 *
 *   exit 0            delivered
 *   exit 2            rejected for good (parked, not retried)
 *   anything else     retry (other exit codes, killed by a signal, timeout)
 *
 * The command is split into words here (no shell) unless shell = true,
 * which runs it as /bin/sh -c '<command>'.  The child runs in its own
 * process group; on timeout the whole group gets SIGKILL.  Its standard
 * output goes to /dev/null, its standard error is ours.  Environment:
 * ours plus SIMSIEVE_ACTION_ID (16 hex digits), SIMSIEVE_SEQ and
 * SIMSIEVE_SINK.
 */
#include "act/deliver.h"
#include "act/recv.h"

#include "core/err.h"
#include "core/log.h"
#include "core/time.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define EXEC_MAX_ARGS 64
#define EXEC_EXIT_REJECTED 2

struct exec_recv {
	struct act_receiver base;
	char *argv[EXEC_MAX_ARGS];
	char store[4096];
	int64_t timeout_us;
};

int act_exec_split(const char *cmd, char **argv, size_t max, char *store, size_t size)
{
	size_t n = 0, used = 0;
	const char *p = cmd;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		if (n + 1 >= max)
			return -SS_ETOOLONG;
		argv[n++] = store + used;
		char quote = 0;
		for (; *p && (quote || (*p != ' ' && *p != '\t')); p++) {
			char c = *p;
			if (quote == '\'' && c == '\'') {
				quote = 0;
				continue;
			}
			if (!quote && (c == '\'' || c == '"')) {
				quote = c;
				continue;
			}
			if (quote == '"' && c == '"') {
				quote = 0;
				continue;
			}
			if (c == '\\' && quote != '\'') {
				if (!p[1])
					return -SS_EPARSE;
				c = *++p;
			}
			if (used + 1 >= size)
				return -SS_ETOOLONG;
			store[used++] = c;
		}
		if (quote)
			return -SS_EPARSE;
		if (used + 1 >= size)
			return -SS_ETOOLONG;
		store[used++] = '\0';
	}
	if (n == 0)
		return -SS_EPARSE;
	argv[n] = NULL;
	return (int)n;
}

/* Write all of @p to the pipe; EPIPE (the command did not read) is not an error here. */
static void feed(int fd, const char *p, size_t n)
{
	sigset_t pipe_set, old;
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
	bool broke = false;
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			broke = errno == EPIPE;
			break;
		}
		p += w;
		n -= (size_t)w;
	}
	if (broke && !sigismember(&old, SIGPIPE)) {
		struct timespec zero = { 0, 0 };
		sigtimedwait(&pipe_set, NULL, &zero); /* swallow our own SIGPIPE */
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static int run_one(struct exec_recv *x, const struct act_delivery *d, char *why, size_t why_size)
{
	int in[2];
	if (pipe2(in, O_CLOEXEC) < 0) {
		snprintf(why, why_size, "pipe: %s", strerror(errno));
		return -errno;
	}
	char id[24], seq[24];
	snprintf(id, sizeof(id), "%016" PRIx64, d->id);
	snprintf(seq, sizeof(seq), "%" PRIu64, d->seq);

	/* The environment is built before fork(): after it, in a threaded
	 * daemon, only async-signal-safe calls are allowed. */
	extern char **environ;
	size_t n_env = 0;
	while (environ[n_env])
		n_env++;
	char **envp = malloc((n_env + 4) * sizeof(*envp));
	char e_id[48], e_seq[48], e_sink[64];
	if (!envp) {
		close(in[0]);
		close(in[1]);
		snprintf(why, why_size, "out of memory");
		return -ENOMEM;
	}
	snprintf(e_id, sizeof(e_id), "SIMSIEVE_ACTION_ID=%s", id);
	snprintf(e_seq, sizeof(e_seq), "SIMSIEVE_SEQ=%s", seq);
	snprintf(e_sink, sizeof(e_sink), "SIMSIEVE_SINK=%s", x->base.name);
	size_t k = 0;
	for (size_t i = 0; i < n_env; i++)
		if (strncmp(environ[i], "SIMSIEVE_", 9) != 0)
			envp[k++] = environ[i];
	envp[k++] = e_id;
	envp[k++] = e_seq;
	envp[k++] = e_sink;
	envp[k] = NULL;
	static const char exec_failed[] = "simsieve: exec receiver: cannot run the command\n";

	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(in[0]);
		close(in[1]);
		free(envp);
		snprintf(why, why_size, "fork: %s", strerror(e));
		return -e;
	}
	if (pid == 0) {
		setpgid(0, 0);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		dup2(in[0], STDIN_FILENO);
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0)
			dup2(null, STDOUT_FILENO);
		execvpe(x->argv[0], x->argv, envp);
		if (write(STDERR_FILENO, exec_failed, sizeof(exec_failed) - 1) < 0)
			_exit(127);
		_exit(127);
	}
	free(envp);
	setpgid(pid, pid); /* also from here: no race with the kill below */
	close(in[0]);
	feed(in[1], d->json, d->len);
	feed(in[1], "\n", 1);
	close(in[1]);

	ss_time_us deadline = ss_time_monotonic() + x->timeout_us;
	long nap_ns = 100000; /* 0.1 ms, doubling to 10 ms */
	int status = 0;
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			int err = errno; /* snprintf may change errno */
			snprintf(why, why_size, "waitpid: %s", strerror(err));
			return -err;
		}
		if (ss_time_monotonic() >= deadline) {
			kill(-pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			snprintf(why, why_size, "%s: timed out after %.3f s, process group killed", x->argv[0],
				 (double)x->timeout_us / 1e6);
			return ACT_RETRY;
		}
		struct timespec ts = { 0, nap_ns };
		nanosleep(&ts, NULL);
		if (nap_ns < 10000000)
			nap_ns *= 2;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return ACT_DELIVERED;
	/* Leave no stragglers the command left behind in its group. */
	kill(-pid, SIGKILL);
	if (WIFEXITED(status)) {
		snprintf(why, why_size, "%s exited with %d", x->argv[0], WEXITSTATUS(status));
		return WEXITSTATUS(status) == EXEC_EXIT_REJECTED ? ACT_REJECTED : ACT_RETRY;
	}
	snprintf(why, why_size, "%s killed by signal %d", x->argv[0], WTERMSIG(status));
	return ACT_RETRY;
}

static int exec_send(struct act_receiver *r, const struct act_delivery *d, size_t n, enum act_result *result,
		     char *why, size_t why_size)
{
	struct exec_recv *x = (struct exec_recv *)r;
	bool retry = false;
	char buf[ACT_WHY_SIZE];
	int ret = 0;

	if (why_size)
		why[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (retry) {
			result[i] = ACT_RETRY;
			continue;
		}
		buf[0] = '\0';
		int rc = run_one(x, &d[i], buf, sizeof(buf));
		if (rc < 0) {
			result[i] = ACT_RETRY;
			if (i == 0)
				ret = rc;
		} else {
			result[i] = (enum act_result)rc;
		}
		if (result[i] != ACT_DELIVERED && why_size && why[0] == '\0')
			snprintf(why, why_size, "%s", buf);
		retry = result[i] == ACT_RETRY;
	}
	return ret;
}

static void exec_close(struct act_receiver *r)
{
	free(r);
}

static const struct act_receiver_ops exec_ops = {
	.type = "exec",
	.send = exec_send,
	.close = exec_close,
};

int act_receiver_exec_open(const struct ss_config *cfg, const char *name, struct act_receiver **out)
{
	char sec[96];
	const char *command = NULL;
	bool shell;
	int64_t timeout_us;
	int rc;

	*out = NULL;
	snprintf(sec, sizeof(sec), "sink.%s", name);
	if ((rc = ss_config_string(cfg, sec, "command", NULL, &command)) < 0 ||
	    (rc = ss_config_bool(cfg, sec, "shell", false, &shell)) < 0 ||
	    (rc = ss_config_duration(cfg, sec, "timeout", 10 * SS_US_PER_SEC, &timeout_us)) < 0)
		return rc;
	if (!command || !*command) {
		ss_error("%s: [%s] command: required for an exec receiver", ss_config_path(cfg), sec);
		return -SS_EMISSING;
	}
	if (timeout_us < 1000) {
		ss_error("%s: [%s] timeout: at least 1 ms", ss_config_path(cfg), sec);
		return -SS_ECONFIG;
	}
	struct exec_recv *x = calloc(1, sizeof(*x));
	if (!x)
		return -ENOMEM;
	x->base.ops = &exec_ops;
	snprintf(x->base.name, sizeof(x->base.name), "%s", name);
	x->base.max_batch = 1; /* one process per action */
	x->timeout_us = timeout_us;
	if (shell) {
		size_t l = strlen(command);
		if (l + 1 > sizeof(x->store) - 16) {
			free(x);
			ss_error("%s: [%s] command: too long", ss_config_path(cfg), sec);
			return -SS_ETOOLONG;
		}
		strcpy(x->store, "/bin/sh");
		strcpy(x->store + 8, "-c");
		memcpy(x->store + 11, command, l + 1);
		x->argv[0] = x->store;
		x->argv[1] = x->store + 8;
		x->argv[2] = x->store + 11;
		x->argv[3] = NULL;
	} else if ((rc = act_exec_split(command, x->argv, EXEC_MAX_ARGS, x->store, sizeof(x->store))) < 0) {
		free(x);
		ss_error("%s: [%s] command: %s (unbalanced quote, empty, or too long)", ss_config_path(cfg), sec,
			 ss_strerror(rc));
		return rc;
	}
	*out = &x->base;
	return 0;
}
