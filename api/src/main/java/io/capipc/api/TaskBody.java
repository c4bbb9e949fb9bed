package io.capipc.api;

/** The code a task runs, given its syscalls. Returning or throwing ends the task. */
@FunctionalInterface
public interface TaskBody {
    void run(Syscalls sys) throws Exception;
}
