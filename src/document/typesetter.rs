//! Bounded typesetting: a PDF costs CPU and memory in proportion to its text, and a plan at the
//! length limits takes far longer than a usual one, so renders are capped in number (the rest
//! wait their turn) and in time (a request waits at most the budget, queue included).
//!
//! A render that overruns is not stopped (typst cannot be interrupted); it finishes on its
//! blocking thread and keeps its permit until then, so overruns cannot pile up beyond the cap.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::Semaphore;

use super::Document;

/// Why a render gave no file.
#[derive(Debug)]
pub enum RenderError {
    /// The queue and the render together took longer than the budget.
    OverBudget,
    Failed(anyhow::Error),
}

#[derive(Clone)]
pub struct Typesetter {
    permits: Arc<Semaphore>,
    budget: Duration,
}

impl Typesetter {
    /// At most `concurrency` renders at once (at least one), each answered within `budget`.
    pub fn new(concurrency: usize, budget: Duration) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            budget,
        }
    }

    /// The document as a PDF.
    pub async fn pdf(&self, doc: Document) -> Result<Vec<u8>, RenderError> {
        self.run(move || super::pdf::render(&doc))
            .await?
            .map_err(RenderError::Failed)
    }

    /// Runs `job` on a blocking thread once a permit is free, if that all happens within the
    /// budget.
    async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, RenderError> {
        let permits = self.permits.clone();
        let queued_and_run = async move {
            let permit = permits
                .acquire_owned()
                .await
                .map_err(|err| RenderError::Failed(err.into()))?;
            tokio::task::spawn_blocking(move || {
                let _permit = permit;
                let output = job();
                give_back_memory();
                output
            })
            .await
            .map_err(|err| RenderError::Failed(err.into()))
        };
        tokio::time::timeout(self.budget, queued_and_run)
            .await
            .unwrap_or(Err(RenderError::OverBudget))
    }
}

/// When a render last gave freed memory back, in seconds since the Unix epoch.
static LAST_TRIM: AtomicU64 = AtomicU64::new(0);

/// A render allocates tens of megabytes and frees them (typst's caches are bounded by
/// `comemo::evict`), but glibc keeps freed memory in the arena of the thread that used it, so a
/// server that typeset a few PDFs on a few blocking threads stays large for good. After a
/// render, at most once a second, return it to the system (`malloc_trim`: a millisecond or so).
fn give_back_memory() {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    if LAST_TRIM.swap(now, Ordering::Relaxed) == now {
        return;
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory of glibc's own heaps; it reads and writes
    // no memory of ours and is thread-safe.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;
    use std::time::Instant;

    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn renders_beyond_the_cap_wait_their_turn() {
        let typesetter = Typesetter::new(1, Duration::from_secs(10));
        let (release, hold) = mpsc::channel::<()>();
        let first = tokio::spawn({
            let typesetter = typesetter.clone();
            async move { typesetter.run(move || hold.recv().is_ok()).await }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        let started = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let second = tokio::spawn({
            let (typesetter, started) = (typesetter.clone(), started.clone());
            async move {
                typesetter
                    .run(move || started.store(true, std::sync::atomic::Ordering::SeqCst))
                    .await
            }
        });
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(
            !started.load(std::sync::atomic::Ordering::SeqCst),
            "the second render waits while the first holds the only permit"
        );
        release.send(()).unwrap();
        assert!(matches!(first.await.unwrap(), Ok(true)));
        assert!(second.await.unwrap().is_ok(), "queued, not refused");
        assert!(started.load(std::sync::atomic::Ordering::SeqCst));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_overrun_answers_at_the_budget_and_keeps_its_permit_until_done() {
        let typesetter = Typesetter::new(1, Duration::from_millis(100));
        let start = Instant::now();
        let slow = typesetter
            .run(|| std::thread::sleep(Duration::from_millis(600)))
            .await;
        assert!(matches!(slow, Err(RenderError::OverBudget)));
        assert!(
            start.elapsed() < Duration::from_millis(500),
            "answered at the budget"
        );
        // The slow render still runs and holds the only permit: the next one cannot start.
        let next = typesetter.run(|| ()).await;
        assert!(matches!(next, Err(RenderError::OverBudget)), "{next:?}");
        tokio::time::sleep(Duration::from_millis(600)).await;
        assert!(typesetter.run(|| ()).await.is_ok(), "the permit came back");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_pdf_within_budget_is_a_pdf() {
        let doc = crate::document::plan::build(
            &crate::document::fixtures::model(),
            &crate::document::fixtures::cell(),
        );
        let typesetter = Typesetter::new(1, Duration::from_secs(60));
        let pdf = typesetter.pdf(doc.clone()).await.unwrap_or_default();
        assert!(pdf.starts_with(b"%PDF-"));
        let none = Typesetter::new(1, Duration::ZERO).pdf(doc).await;
        assert!(matches!(none, Err(RenderError::OverBudget)));
    }
}
