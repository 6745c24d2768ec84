;;; annalist.el --- Annalist language server through Eglot  -*- lexical-binding: t; -*-

;; Copyright (C) 2026 The Annalist authors
;; SPDX-License-Identifier: MIT OR Apache-2.0
;; Version: 0.1.0
;; Package-Requires: ((emacs "29.1") (eglot "1.12"))
;; Keywords: languages, tools, markdown, history

;;; Commentary:

;; Annalist checks transcribed and annotated historical texts in Markdown: dates,
;; note markers and their notes, historical names and their romanisation.  This file
;; registers `annalist lsp' with Eglot for Markdown buffers and adds
;; `annalist-timeline', a view of the document's dated events.
;;
;; Setup (Emacs 29+, Eglot built in):
;;
;;   (add-to-list 'load-path "/path/to/annalist/editors/emacs")
;;   (require 'annalist)
;;   (annalist-eglot-setup)                       ; register the server
;;   (add-hook 'markdown-mode-hook #'eglot-ensure) ; start it in Markdown buffers
;;
;; Settings go to the server as the `annalist' section (initializationOptions and
;; workspace/didChangeConfiguration); see `annalist-settings'.
;;
;; Status: written against Eglot's documented API; not run in this project's CI
;; (Emacs 29 is not packaged for its machines).  See README.md.

;;; Code:

(require 'eglot)
(require 'jsonrpc)

(defgroup annalist nil
  "Annalist language server for annotated historical texts."
  :group 'tools
  :prefix "annalist-")

(defcustom annalist-server-command '("annalist" "lsp")
  "Command that starts the Annalist language server."
  :type '(repeat string))

(defcustom annalist-modes '(markdown-mode gfm-mode markdown-ts-mode)
  "Major modes in which Eglot uses the Annalist server."
  :type '(repeat symbol))

(defcustom annalist-settings
  '(:features (:hover t :semanticTokens t :inlayHints t :completion t :entities t :dates t))
  "The `annalist' settings section, as a plist.
Keys: :rules (plist of rule code -> \"off\" | \"hint\" | \"info\" | \"warning\"
| \"error\"), :romanisation (:korean :chinese :russian :prefer), :claims (:scope
\"sentence\" | \"paragraph\"), :features (:hover :semanticTokens :inlayHints
:completion :entities :dates; t or :json-false).  Omitted keys keep the project's
annalist.toml values.  Example:

  (setq annalist-settings
        \\='(:rules (:romanisation-ocr \"error\") :claims (:scope \"sentence\")))"
  :type 'plist)

(defun annalist--contact (_interactive)
  "Eglot contact for the Annalist server."
  (append annalist-server-command
          (list :initializationOptions (list :annalist annalist-settings))))

;;;###autoload
(defun annalist-eglot-setup ()
  "Register the Annalist server with Eglot for `annalist-modes'.
Also sends `annalist-settings' as workspace configuration."
  (interactive)
  (add-to-list 'eglot-server-programs (cons annalist-modes #'annalist--contact))
  (setq-default eglot-workspace-configuration
                (plist-put (copy-sequence (default-value 'eglot-workspace-configuration))
                           :annalist annalist-settings)))

(defun annalist--server ()
  "The Eglot server of the current buffer, or an error saying what to do."
  (or (eglot-current-server)
      (user-error "No Annalist server in this buffer: M-x eglot (see annalist-eglot-setup)")))

(defun annalist--str (v)
  "V as a string, empty for nil or JSON null."
  (cond ((or (null v) (eq v :null) (eq v :json-false)) "")
        ((stringp v) v)
        (t (format "%s" v))))

;;;###autoload
(defun annalist-timeline ()
  "Show the current document's dated events, from `annalist/timeline'.
RET on an event jumps to its line."
  (interactive)
  (let* ((server (annalist--server))
         (source (current-buffer))
         (result (jsonrpc-request server :annalist/timeline
                                  (list :textDocument (eglot--TextDocumentIdentifier))))
         (events (append (plist-get result :events) nil))
         (buf (get-buffer-create (format "*annalist timeline: %s*" (buffer-name source)))))
    (with-current-buffer buf
      (let ((inhibit-read-only t))
        (erase-buffer)
        (insert (format "Timeline of %s — %d event%s   (RET jumps to the text, q closes)\n\n"
                        (buffer-name source) (length events) (if (= (length events) 1) "" "s")))
        (dolist (e events)
          (let* ((norm (annalist--str (plist-get e :date)))
                 (written (let ((w (annalist--str (plist-get e :surface))))
                            (if (string-empty-p w) norm w)))
                 (line (plist-get e :line))
                 (actors (append (plist-get e :actors) nil))
                 (notes (append (plist-get e :notes) nil))
                 (beg (point)))
            (insert (format "  %-21s %-24s %s%s%s\n"
                            norm written
                            (replace-regexp-in-string "[ \t\n]+" " " (annalist--str (plist-get e :text)))
                            (if actors (format "  [%s]" (mapconcat #'annalist--str actors ", ")) "")
                            (if notes (format " (%s)" (mapconcat #'annalist--str notes ", ")) "")))
            ;; `line' is 1-based.
            (when (and (integerp line) (>= line 1))
              (put-text-property beg (point) 'annalist-line line))))
        (when (null events) (insert "No dated events in this document.\n")))
      (annalist-timeline-mode)
      (setq-local annalist--source source)
      (goto-char (point-min)))
    (pop-to-buffer buf '((display-buffer-below-selected) (window-height . fit-window-to-buffer)))))

(defvar-local annalist--source nil "The document a timeline buffer shows.")

(defun annalist-timeline-visit ()
  "Jump to the event at point in its document."
  (interactive)
  (let ((line (get-text-property (point) 'annalist-line))
        (source annalist--source))
    (when (and line (buffer-live-p source))
      (pop-to-buffer source)
      (goto-char (point-min))
      (forward-line (1- line))
      (recenter))))

(defvar annalist-timeline-mode-map
  (let ((m (make-sparse-keymap)))
    (define-key m (kbd "RET") #'annalist-timeline-visit)
    m)
  "Keymap of `annalist-timeline-mode'.")

(define-derived-mode annalist-timeline-mode special-mode "Annalist-Timeline"
  "The dated events of an Annalist document.")

;;;###autoload
(defun annalist-restart ()
  "Restart the Annalist server of the current buffer."
  (interactive)
  (eglot-reconnect (annalist--server)))

;;;###autoload
(defun annalist-show-log ()
  "Show the Eglot events buffer (messages and server errors)."
  (interactive)
  (eglot-events-buffer (annalist--server)))

(provide 'annalist)
;;; annalist.el ends here
