/**
 * capipc's public vocabulary: statuses and refusal reasons, rights, the info word, handles, the IPC
 * buffer and the syscalls a task programs against.
 */
module io.capipc.api {
    requires static transitive org.jspecify;
    requires static transitive com.google.errorprone.annotations;
    exports io.capipc.api;
}
