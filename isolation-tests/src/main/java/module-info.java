/**
 * A user's module: it requires the kernel (the boot API and runtimes, and the api transitively) and
 * nothing else. Its tests, patched into it, try from inside task bodies every way around the kernel
 * a Java module could try; each must fail.
 */
module io.capipc.isolation {
    requires io.capipc.kernel;
}
