import type { Attachment } from 'svelte/attachments';

export interface DropTargetOptions {
  onfiles: (files: File[]) => void;
  onover: (over: boolean) => void;
}

function carriesFiles(e: DragEvent): boolean {
  return Array.from(e.dataTransfer?.types ?? []).includes('Files');
}

/**
 * Makes an element accept dropped files. Attached rather than written as on* attributes because a
 * drop zone is not a control: its keyboard equivalent is the "Choose files" button inside it.
 */
export function dropTarget(opts: DropTargetOptions): Attachment<HTMLElement> {
  return (node) => {
    // dragenter/dragleave fire for every child crossed; a depth count tells when we truly left.
    let depth = 0;
    const enter = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      if (depth++ === 0) opts.onover(true);
    };
    const over = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const leave = () => {
      if (depth > 0 && --depth === 0) opts.onover(false);
    };
    const drop = (e: DragEvent) => {
      e.preventDefault();
      depth = 0;
      opts.onover(false);
      const files = Array.from(e.dataTransfer?.files ?? []);
      if (files.length > 0) opts.onfiles(files);
    };
    node.addEventListener('dragenter', enter);
    node.addEventListener('dragover', over);
    node.addEventListener('dragleave', leave);
    node.addEventListener('drop', drop);
    return () => {
      node.removeEventListener('dragenter', enter);
      node.removeEventListener('dragover', over);
      node.removeEventListener('dragleave', leave);
      node.removeEventListener('drop', drop);
    };
  };
}
